// The read model of order history: what the order-events consumer keeps of each order. Writes
// are idempotent (a redelivered event rewrites the same item), so at-least-once delivery needs
// no separate dedupe table.
import { ScanCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { Purchase } from '../domain/engine/types';

const purchaseItemSchema = z.object({
  orderId: z.string(),
  userId: z.string(),
  at: z.number(),
  productIds: z.array(z.string()),
  /** False once the order was cancelled or its payment declined: it no longer says what sells. */
  counts: z.boolean(),
});
export type PurchaseItem = z.infer<typeof purchaseItemSchema>;

export class PurchaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Records a placed order. A later "does not count" (an event of the same order handled
   * earlier, or a redelivery after it) is kept: only the products and time are (re)written.
   */
  async recordPlaced(purchase: Purchase): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { orderId: purchase.orderId },
        UpdateExpression:
          'SET userId = :userId, #at = :at, productIds = :productIds, #counts = if_not_exists(#counts, :true)',
        ExpressionAttributeNames: { '#at': 'at', '#counts': 'counts' },
        ExpressionAttributeValues: {
          ':userId': purchase.userId,
          ':at': purchase.at,
          ':productIds': [...purchase.productIds],
          ':true': true,
        },
      }),
    );
  }

  /** Marks an order as not counting (cancelled, declined); a no-op for an order never seen. */
  async markNotCounting(orderId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { orderId },
          UpdateExpression: 'SET #counts = :false',
          ConditionExpression: 'attribute_exists(orderId)',
          ExpressionAttributeNames: { '#counts': 'counts' },
          ExpressionAttributeValues: { ':false': false },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Not seen yet (events of one order arrive in order, so this is an order placed before the
      // consumer's history began): remember the verdict so a late OrderPlaced cannot count it.
      await this.client
        .send(
          new PutCommand({
            TableName: this.table,
            Item: { orderId, userId: '', at: 0, productIds: [], counts: false },
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        )
        .catch((putError: unknown) => {
          if (!(putError instanceof ConditionalCheckFailedException)) throw putError;
        });
    }
  }

  /** Every order that counts, for rebuilding the model at start. */
  async all(): Promise<PurchaseItem[]> {
    const items: PurchaseItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) items.push(purchaseItemSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
