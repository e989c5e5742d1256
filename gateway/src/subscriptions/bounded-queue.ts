// A subscriber's pending results, in event order, with a hard bound: a subscriber that does not
// keep up is ended (see engine.ts) instead of holding memory or stalling anyone else.

/**
 * An async iterator over pushed values. Promises may be pushed: they are awaited in push order,
 * so a slow fetch for one event never lets a later event overtake it.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: Promise<T>[] = [];
  private waiting?: (result: IteratorResult<T>) => void;
  private ending = false;
  private done = false;

  constructor(
    readonly capacity: number,
    /** Called once when the iteration ends, however it ends (the consumer's return() included). */
    private readonly onEnd: () => void,
  ) {}

  get size() {
    return this.items.length;
  }

  /** True once ending: nothing more can be pushed. */
  get ended() {
    return this.ending || this.done;
  }

  /** Adds a value; false (and nothing added) when the queue is full or ending. */
  push(value: Promise<T> | T): boolean {
    if (this.ending || this.done || this.items.length >= this.capacity) return false;
    this.enqueue(value);
    return true;
  }

  /** Ends the iteration after what is queued, and after `last` if given. */
  end(last?: T): void {
    if (this.ending || this.done) return;
    if (last !== undefined) this.enqueue(last);
    this.ending = true;
    this.flush();
  }

  /** Ends right after `item` (a value pushed earlier): what was queued behind it is dropped. */
  endAfter(item: Promise<T>): void {
    const index = this.items.indexOf(item);
    this.items.splice(index + 1); // index -1 (already taken): drop everything
    this.end();
  }

  /** Drops what is queued and ends, delivering `last` first if given. */
  endNow(last?: T): void {
    if (this.ending || this.done) return;
    this.items.length = 0;
    this.end(last);
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item) return item.then((value) => ({ value, done: false }));
    if (this.ending || this.done) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private enqueue(value: Promise<T> | T) {
    const item = Promise.resolve(value);
    item.catch(() => undefined); // next() awaits it; this only marks the rejection handled meanwhile
    this.items.push(item);
    this.flush();
  }

  private flush() {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    void this.next().then(waiting);
  }

  private finish() {
    if (this.done) return;
    this.done = true;
    this.onEnd();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }
}
