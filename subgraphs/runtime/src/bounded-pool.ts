/** Refused: the pool's tasks are all running and its queue is full, or a turn would come too late. */
export class PoolFullError extends Error {
  override name = 'PoolFullError';

  constructor(
    /** Whole seconds after which the work queued now should be done: a Retry-After for the caller. */
    readonly retryAfterSeconds: number,
  ) {
    super(`busy: retry in ${retryAfterSeconds} s`);
  }
}

interface Waiting {
  start(): void;
  timer: NodeJS.Timeout;
}

/**
 * Admission control for expensive work: at most `concurrency` tasks run at once and at most
 * `queueLimit` wait their turn, in order, none longer than `maxWaitMs`. A task is refused at once
 * (PoolFullError) when the queue is full or its turn is not expected within `maxWaitMs` (from a
 * moving average of how long tasks take, so the queue shortens when the machine slows down), and a
 * waiting task whose turn has not come after `maxWaitMs` is refused then. So every task admitted
 * starts within `maxWaitMs`, and callers are told "overloaded, retry later" instead of queueing
 * towards a timeout.
 */
export class BoundedPool {
  private runningCount = 0;
  private readonly queue: Waiting[] = [];
  /** Moving average of a task's duration (ms). */
  private averageMs: number;

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
    readonly maxWaitMs: number,
    /** What a task is expected to take before any has run, in ms. */
    expectedTaskMs = 50,
  ) {
    if (concurrency < 1) throw new RangeError('a pool needs a concurrency of at least 1');
    this.averageMs = expectedTaskMs;
  }

  get running() {
    return this.runningCount;
  }

  get waiting() {
    return this.queue.length;
  }

  /**
   * The refusal a task run now would get, if any: for callers that can refuse before the work
   * leading up to the task (a database read before a hash), so that refusals stay cheap.
   */
  refusal(): PoolFullError | undefined {
    if (this.runningCount < this.concurrency) return undefined;
    if (this.queue.length >= this.queueLimit || this.expectedWaitMs(this.queue.length + 1) > this.maxWaitMs) {
      return this.full();
    }
    return undefined;
  }

  /** Runs `task` now or when its turn comes; rejects with PoolFullError when refused. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.runningCount < this.concurrency) return this.start(task);
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = {
        start: () => {
          clearTimeout(waiting.timer);
          this.start(task).then(resolve, reject);
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiting), 1);
          reject(this.full());
        }, this.maxWaitMs),
      };
      this.queue.push(waiting);
    });
  }

  /** How long the task `position` places back in the queue should wait for its turn, in ms. */
  private expectedWaitMs(position: number): number {
    return Math.ceil(position / this.concurrency) * this.averageMs;
  }

  /** Refusal, with the time the work ahead should take (at least 1 s) as the retry hint. */
  private full(): PoolFullError {
    return new PoolFullError(Math.max(1, Math.ceil(this.expectedWaitMs(this.queue.length + 1) / 1000)));
  }

  private async start<T>(task: () => Promise<T>): Promise<T> {
    this.runningCount += 1;
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      this.runningCount -= 1;
      this.queue.shift()?.start();
    }
  }
}
