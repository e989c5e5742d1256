import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WriteConflictError } from './errors';
import { cartItemSchema, type CartItem, type CartLine } from './items';

/** One item per user holding the whole cart, written with optimistic concurrency on `version`. */
export class CartStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Consistent, so a cart read right after a write (or checkout) sees it. */
  async get(userId: string): Promise<CartItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { userId }, ConsistentRead: true }),
    );
    return Item ? cartItemSchema.parse(Item) : null;
  }

  /**
   * Replaces the lines if the cart is still at `expectedVersion` (null: if there is no cart).
   * WriteConflictError when another write got there first.
   */
  async save(userId: string, lines: CartLine[], expectedVersion: number | null): Promise<CartItem> {
    const item: CartItem = {
      userId,
      lines,
      version: (expectedVersion ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression:
            expectedVersion === null ? 'attribute_not_exists(userId)' : 'version = :version',
          ExpressionAttributeValues: expectedVersion === null ? undefined : { ':version': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new WriteConflictError('cart changed');
      throw error;
    }
    return item;
  }
}
