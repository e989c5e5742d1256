// The insights subgraph's own table: the sentiment of each review, keyed by the review's id.
// The review itself is the products subgraph's (each subgraph owns its data); this table is
// "stored with the review" in the sense that matters to clients: the same id, and the gateway
// joins them on Review.id.
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { batchGetAll } from '@cloudmart/runtime';

export const sentimentItemSchema = z.object({
  reviewId: z.string(),
  productId: z.string(),
  /** ANALYSED, or FAILED when the analyser refused the document (label and score absent). */
  status: z.enum(['ANALYSED', 'FAILED']),
  label: z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE', 'MIXED']).optional(),
  score: z.number().optional(),
  language: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  analyzer: z.string(),
  analyzedAt: z.string(),
});

export type SentimentItem = z.infer<typeof sentimentItemSchema>;

export class SentimentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(item: SentimentItem): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  /** By review id, in BatchGetItem calls of up to 100 keys. */
  async getMany(reviewIds: readonly string[]): Promise<Map<string, SentimentItem>> {
    const items = await batchGetAll(
      this.client,
      this.table,
      reviewIds.map((reviewId) => ({ reviewId })),
    );
    return new Map(items.map((item) => sentimentItemSchema.parse(item)).map((item) => [item.reviewId, item]));
  }

  /** Every analysed review of a product (the byProduct index, all pages). */
  async byProduct(productId: string): Promise<SentimentItem[]> {
    const items: SentimentItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byProduct',
          KeyConditionExpression: 'productId = :productId',
          ExpressionAttributeValues: { ':productId': productId },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => sentimentItemSchema.parse(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
