// Read-only access to the products subgraph's product-reviews table (its contract:
// @cloudmart/products/contract). Reviews are keyed by product and `REVIEW#<seq>`, seq zero-padded to 10 digits.
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { batchGetAll } from '@cloudmart/runtime';
import { reviewSortKey } from '@cloudmart/products/contract';

export const reviewSchema = z.object({
  productId: z.string(),
  seq: z.number().int(),
  id: z.string(),
  title: z.string(),
  body: z.string(),
});

export type Review = z.infer<typeof reviewSchema>;

export interface ReviewKey {
  productId: string;
  seq: number;
}

export class ReviewReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getMany(keys: readonly ReviewKey[]): Promise<Review[]> {
    const items = await batchGetAll(
      this.client,
      this.table,
      keys.map(({ productId, seq }) => ({ productId, sk: reviewSortKey(seq) })),
    );
    return items.map((item) => reviewSchema.parse(item));
  }

  /** Every review, a page at a time (the catch-up pass at start). */
  async *pages(pageSize = 500): AsyncGenerator<Review[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'begins_with(sk, :review)',
          ExpressionAttributeValues: { ':review': 'REVIEW#' },
          ExclusiveStartKey: start,
          Limit: pageSize,
        }),
      );
      yield (page.Items ?? []).map((item) => reviewSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
