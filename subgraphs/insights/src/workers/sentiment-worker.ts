// Gives every review its sentiment, asynchronously, after it is written: a queue of review keys
// (fed by the products stream and by the catch-up pass), drained in batches — read the reviews,
// skip the ones already analysed, analyse the rest, store each result by review id. A batch
// that fails (the analyser or DynamoDB unavailable, throttling the SDK gave up on) goes back in
// the queue and is retried with exponential backoff; a document the analyser refuses is stored
// as FAILED, since retrying cannot help it. analyseNow() does the same work for callers that retry
// by themselves (the review-sentiment Lambda, whose event source mapping redelivers a record).
import type { Logger } from '@cloudmart/runtime';
import type { Review, ReviewKey, ReviewReader } from '../data/review-reader';
import type { SentimentItem, SentimentStore } from '../data/sentiment-store';
import { isFailure, type SentimentAnalyzer } from '../services/sentiment/sentiment';

const BATCH = 25;
const BACKOFF_MS = { first: 200, max: 60_000 };
/** A review the stream announced may not be readable yet (eventual consistency): a few more tries. */
const MAX_MISSING_ATTEMPTS = 5;

const keyOf = (key: ReviewKey) => `${key.productId}#${key.seq}`;

/** Reviews the stream announced that the reviews table does not show yet: asking again later may find them. */
export class ReviewsNotFoundError extends Error {
  override name = 'ReviewsNotFoundError';

  constructor(readonly keys: ReviewKey[]) {
    super(`${keys.length} announced review(s) not in the reviews table yet: ${keys.map(keyOf).join(', ')}`);
  }
}

export class SentimentWorker {
  private readonly queue = new Map<string, { key: ReviewKey; missing: number }>();
  private running?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private backoffMs = 0;
  private stopped = false;

  constructor(
    private readonly reviews: ReviewReader,
    private readonly store: SentimentStore,
    private readonly analyzer: SentimentAnalyzer,
    private readonly log: Logger,
  ) {}

  enqueue(keys: readonly ReviewKey[]): void {
    for (const key of keys) if (!this.queue.has(keyOf(key))) this.queue.set(keyOf(key), { key, missing: 0 });
    this.schedule();
  }

  /** Queues every review that has no sentiment yet (at start, and when stream records were lost). */
  async catchUp(): Promise<void> {
    for await (const page of this.reviews.pages()) {
      const done = await this.store.getMany(page.map((review) => review.id));
      this.enqueue(page.filter((review) => !done.has(review.id)));
    }
  }

  /**
   * Gives these reviews their sentiment now, outside the queue, by the same steps as a queued
   * batch; rejects when a store or the analyser fails (ReviewsNotFoundError when a review is not
   * readable yet), after storing what it could. Analysing again is harmless: reviews with a
   * sentiment are skipped.
   */
  async analyseNow(keys: readonly ReviewKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += BATCH) {
      const batch = keys.slice(start, start + BATCH);
      const found = await this.read(batch);
      await this.analyseAndStore([...found.values()]);
      const missing = batch.filter((key) => !found.has(keyOf(key)));
      if (missing.length > 0) throw new ReviewsNotFoundError(missing);
    }
  }

  /** Resolves once the queue is empty (tests, and a graceful stop). */
  async idle(): Promise<void> {
    while (!this.stopped && (this.queue.size > 0 || this.running)) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, 20)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule() {
    if (this.stopped || this.running || this.timer || this.queue.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.drain().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.backoffMs);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.size > 0) {
      const batch = [...this.queue.values()].slice(0, BATCH);
      try {
        await this.analyse(batch);
        this.backoffMs = 0;
      } catch (error) {
        this.backoffMs = Math.min(
          BACKOFF_MS.max,
          this.backoffMs === 0 ? BACKOFF_MS.first : this.backoffMs * 2,
        );
        this.log.warn(
          { err: error, reviews: batch.length, retryInMs: this.backoffMs },
          'review sentiment failed; will retry',
        );
        return; // schedule() runs again after the backoff
      }
    }
  }

  private async analyse(batch: { key: ReviewKey; missing: number }[]): Promise<void> {
    const found = await this.read(batch.map((entry) => entry.key));
    for (const entry of batch) {
      if (found.has(keyOf(entry.key))) continue;
      if (++entry.missing >= MAX_MISSING_ATTEMPTS) {
        this.log.warn(
          { review: entry.key },
          'a review the stream announced is not in the reviews table; skipped',
        );
        this.queue.delete(keyOf(entry.key));
      }
    }
    const reviews = [...found.values()];
    await this.analyseAndStore(reviews);
    for (const review of reviews) this.queue.delete(keyOf(review));
  }

  /** The reviews of these keys that the reviews table has, by key. */
  private async read(keys: readonly ReviewKey[]): Promise<Map<string, Review>> {
    return new Map((await this.reviews.getMany(keys)).map((review) => [keyOf(review), review]));
  }

  /** Analyses the reviews that have no sentiment yet and stores each result. */
  private async analyseAndStore(reviews: readonly Review[]): Promise<void> {
    const done = await this.store.getMany(reviews.map((review) => review.id));
    const pending = reviews.filter((review) => !done.has(review.id));
    if (pending.length > 0) {
      const results = await this.analyzer.analyze(
        pending.map((review) => ({ id: review.id, text: `${review.title}. ${review.body}` })),
      );
      const analyzedAt = new Date().toISOString();
      for (const review of pending) {
        const result = results.get(review.id) ?? {
          error: { code: 'NoResult', message: 'The analyser returned no result.' },
        };
        const item: SentimentItem = isFailure(result)
          ? {
              reviewId: review.id,
              productId: review.productId,
              status: 'FAILED',
              error: result.error,
              analyzer: this.analyzer.name,
              analyzedAt,
            }
          : {
              reviewId: review.id,
              productId: review.productId,
              status: 'ANALYSED',
              label: result.label,
              score: result.score,
              language: result.language,
              analyzer: this.analyzer.name,
              analyzedAt,
            };
        await this.store.put(item);
      }
    }
  }
}
