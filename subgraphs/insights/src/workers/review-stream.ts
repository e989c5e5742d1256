// Change data capture for new reviews: follows the products table's DynamoDB stream (the
// products subgraph's; NEW_AND_OLD_IMAGES). Adding a review moves its product's `ratingCount`
// from n to n+1 in the same transaction that stores review number n+1, so every rise of
// ratingCount in the stream names the new reviews by (productId, seq) — no stream on the reviews
// table is needed.
import { DynamoStreamFollower, type StreamFollowerOptions, type StreamRecord } from '@cloudmart/runtime';
import type { ReviewKey } from '../data/review-reader';

export interface ReviewStreamOptions extends Omit<StreamFollowerOptions, 'onRecords'> {
  onNewReviews(keys: ReviewKey[]): void;
}

/** The reviews a stream record announces: seq from the old ratingCount + 1 to the new one. */
export function newReviewsOf(record: StreamRecord): ReviewKey[] {
  const image = record.dynamodb;
  const productId = image?.Keys?.id?.S;
  const after = Number(image?.NewImage?.ratingCount?.N ?? 0);
  const before = Number(image?.OldImage?.ratingCount?.N ?? 0);
  if (!productId || record.eventName === 'REMOVE' || !(after > before)) return [];
  return Array.from({ length: after - before }, (_, i) => ({ productId, seq: before + i + 1 }));
}

/**
 * Started without open(): it opens by itself (waiting for the products subgraph to create its
 * table), then catches up from the reviews table through onResync, so a review written in
 * between is seen by one or the other.
 */
export class ReviewStreamFollower extends DynamoStreamFollower {
  constructor({ onNewReviews, ...options }: ReviewStreamOptions) {
    super({
      ...options,
      onRecords: (records) => {
        const keys = records.flatMap(newReviewsOf);
        if (keys.length > 0) onNewReviews(keys);
      },
    });
  }
}
