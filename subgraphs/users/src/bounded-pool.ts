/** Refused at once: the pool's tasks are all running and its queue is full. */
export class PoolFullError extends Error {
  override name = 'PoolFullError';

  constructor(
    /** Whole seconds after which the work queued now should be done: a Retry-After for the caller. */
    readonly retryAfterSeconds: number,
  ) {
    super(`busy: retry in ${retryAfterSeconds} s`);
  }
}

/**
 * Admission control for expensive work: at most `concurrency` tasks run at once and at most
 * `queueLimit` wait their turn, in order. Past that a task is refused at once (PoolFullError) —
 * the caller answers "overloaded, retry later" in milliseconds rather than queueing towards a
 * timeout, and the work admitted still finishes in bounded time.
 */
export class BoundedPool {
  private runningCount = 0;
  private readonly queue: (() => void)[] = [];
  /** Moving average of a task's duration (ms), for the retry hint. */
  private averageMs: number;

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
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

  /** Runs `task` now, or when a turn comes; rejects at once with PoolFullError when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.runningCount < this.concurrency) return this.start(task);
    if (this.queue.length >= this.queueLimit) return Promise.reject(new PoolFullError(this.retryAfterSeconds()));
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => void this.start(task).then(resolve, reject));
    });
  }

  /** When the work running and queued now should be done, in whole seconds (at least 1). */
  retryAfterSeconds(): number {
    const rounds = (this.runningCount + this.queue.length) / this.concurrency;
    return Math.max(1, Math.ceil((rounds * this.averageMs) / 1000));
  }

  private async start<T>(task: () => Promise<T>): Promise<T> {
    this.runningCount += 1;
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      this.runningCount -= 1;
      this.queue.shift()?.();
    }
  }
}
