import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@cloudmart/runtime';
import type { ProductTables } from './dynamo';
import { AlreadyReviewedError, ProductNotFoundError, WriteContentionError } from './errors';
import { reviewSortKey } from '../contract';
import { authorSortKey, reviewItemSchema, type ReviewItem } from './items';
import type { ProductStore } from './product-store';

export interface NewReview {
  productId: string;
  userId: string;
  rating: number;
  title: string;
  body: string;
}

export interface ReviewKey {
  productId: string;
  seq: number;
}

const MAX_ATTEMPTS = 10;
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1) * Math.random()));

/** The products subgraph's access to the product-reviews table. */
export class ReviewStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ProductTables,
    private readonly products: ProductStore,
  ) {}

  /**
   * Adds a review in one transaction with the product's rating: the product's count moves from n
   * to n+1 (guarded on n, which also numbers the review), its rating sum grows, the author's
   * marker is created (guarded on absence: one review per user and product) and the review is
   * stored. Either all happen or none; a lost race on the count is retried with a fresh read.
   */
  async add(review: NewReview, now: string): Promise<ReviewItem> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const product = await this.products.get(review.productId);
      if (!product) throw new ProductNotFoundError(review.productId);
      const seq = product.ratingCount + 1;
      const item: ReviewItem = { ...review, sk: reviewSortKey(seq), seq, id: randomUUID(), createdAt: now };
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tables.products,
                  Key: { id: review.productId },
                  UpdateExpression:
                    'SET ratingCount = :next, ratingSum = ratingSum + :rating, updatedAt = :now ADD version :one',
                  ConditionExpression: 'attribute_exists(id) AND ratingCount = :count',
                  ExpressionAttributeValues: {
                    ':next': seq,
                    ':count': product.ratingCount,
                    ':rating': review.rating,
                    ':now': now,
                    ':one': 1,
                  },
                },
              },
              {
                Put: {
                  TableName: this.tables.reviews,
                  Item: {
                    productId: review.productId,
                    sk: authorSortKey(review.userId),
                    reviewId: item.id,
                    seq,
                  },
                  ConditionExpression: 'attribute_not_exists(sk)',
                },
              },
              {
                Put: {
                  TableName: this.tables.reviews,
                  Item: item,
                  ConditionExpression: 'attribute_not_exists(sk)',
                },
              },
            ],
          }),
        );
        return item;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
          throw new AlreadyReviewedError(review.productId, review.userId);
        }
        // Another review (or a transaction on the same product) got there first: read the count again.
        await pause(attempt);
      }
    }
    throw new WriteContentionError(`Too many concurrent reviews of product ${review.productId}`);
  }

  /**
   * Reviews by id (Review entity references), through the sparse `byId` index: one Query per id,
   * all sent at once (an index cannot be read with BatchGetItem), then one consistent BatchGetItem
   * of the reviews themselves.
   */
  async getByIds(ids: readonly string[]): Promise<ReviewItem[]> {
    const keys = await Promise.all(
      ids.map(async (id) => {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tables.reviews,
            IndexName: 'byId',
            KeyConditionExpression: 'id = :id',
            ExpressionAttributeValues: { ':id': id },
            ProjectionExpression: 'productId, seq',
          }),
        );
        return (result.Items ?? []).map((item) => ({
          productId: String(item.productId),
          seq: Number(item.seq),
        }));
      }),
    );
    return this.getMany(keys.flat());
  }

  /** Reviews by (product, number), in BatchGetItem calls of up to 100 keys. */
  async getMany(keys: readonly ReviewKey[]): Promise<ReviewItem[]> {
    const items = await batchGetAll(
      this.client,
      this.tables.reviews,
      keys.map(({ productId, seq }) => ({ productId, sk: reviewSortKey(seq) })),
      { consistent: true },
    );
    return items.map((item) => reviewItemSchema.parse(item));
  }
}
