import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { returnItemSchema, type ReturnItem } from './items';

/** Return requests, at most one per order. */
export class ReturnStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(orderId: string): Promise<ReturnItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { orderId }, ConsistentRead: true }),
    );
    return Item ? returnItemSchema.parse(Item) : null;
  }

  /** Records the request, or returns the one already recorded for the order (first one wins). */
  async createOnce(request: ReturnItem): Promise<{ request: ReturnItem; created: boolean }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: request,
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      );
      return { request, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(request.orderId);
      if (!existing) throw error;
      return { request: existing, created: false };
    }
  }
}
