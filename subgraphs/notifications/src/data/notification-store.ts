import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { badUserInput, getItem } from '@cloudmart/runtime';
import { notificationItemSchema, type NotificationItem, type SendError } from './items';

/** A page of notifications and whether more follow; `cursor` continues after an item. */
export interface NotificationPage {
  items: NotificationItem[];
  hasNextPage: boolean;
}

/** Which list a cursor belongs to, and the index key it holds. */
const userCursorSchema = z.object({ id: z.string(), userId: z.string(), createdAt: z.string() });
const failedCursorSchema = z.object({ id: z.string(), failedShard: z.literal('FAILED'), failedAt: z.string() });

const encode = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decode<T>(schema: z.ZodType<T>, cursor: string): T {
  try {
    if (cursor.length <= 1_000) return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    // the client error below
  }
  throw badUserInput('`after` is not a cursor from this list.', { field: 'after' });
}

/**
 * The notifications table: the claim that makes each (event, channel) notification happen once,
 * its sends' outcomes, and the two lists (a user's, the dead letters).
 */
export class NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  get(id: string): Promise<NotificationItem | null> {
    return getItem(this.client, this.table, { id }, notificationItemSchema);
  }

  /**
   * Creates the notification unless one with its id exists: `claimed` false then, with the stored
   * one (a redelivered event: sent already, failed, or left PENDING by a process that stopped).
   */
  async claim(item: NotificationItem): Promise<{ claimed: boolean; item: NotificationItem }> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
      return { claimed: true, item };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { id: item.id }, ConsistentRead: true }),
      );
      return { claimed: false, item: notificationItemSchema.parse(Item) };
    }
  }

  /** A send failed and will be tried again: counts it and keeps its error. */
  async recordFailedAttempt(id: string, attempts: number, error: SendError, at: string): Promise<void> {
    await this.update(id, 'SET attempts = :attempts, lastError = :error, updatedAt = :at', {
      ':attempts': attempts,
      ':error': error,
      ':at': at,
    });
  }

  /** The provider accepted it. */
  async markSent(id: string, attempts: number, providerMessageId: string, at: string): Promise<void> {
    await this.update(
      id,
      'SET #status = :sent, attempts = :attempts, providerMessageId = :providerId, sentAt = :at, updatedAt = :at REMOVE lastError, failedShard, failedAt',
      { ':sent': 'SENT', ':attempts': attempts, ':providerId': providerMessageId, ':at': at },
    );
  }

  /** Given up on: the dead letter, listed by failedNotifications until an admin resends it. */
  async markFailed(id: string, attempts: number, error: SendError, at: string): Promise<void> {
    await this.update(
      id,
      'SET #status = :failed, attempts = :attempts, lastError = :error, failedShard = :failed, failedAt = :at, updatedAt = :at',
      { ':failed': 'FAILED', ':attempts': attempts, ':error': error, ':at': at },
    );
  }

  /**
   * An admin's resend takes a FAILED notification back to PENDING, atomically: of two resends at
   * once, one gets it (true) and the other false, so it is not sent twice.
   */
  async reopen(id: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET #status = :pending, updatedAt = :at REMOVE failedShard, failedAt',
          ConditionExpression: '#status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':failed': 'FAILED', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A user's notifications, newest first. */
  async listByUser(userId: string, first: number, after?: string): Promise<NotificationPage> {
    const start = after ? decode(userCursorSchema, after) : undefined;
    if (start && start.userId !== userId) throw badUserInput('`after` is not a cursor from this list.', { field: 'after' });
    return this.page(
      { IndexName: 'byUser', KeyConditionExpression: 'userId = :key', ExpressionAttributeValues: { ':key': userId } },
      first,
      start,
    );
  }

  /** The dead letters, newest first. */
  listFailed(first: number, after?: string): Promise<NotificationPage> {
    return this.page(
      { IndexName: 'failed', KeyConditionExpression: 'failedShard = :key', ExpressionAttributeValues: { ':key': 'FAILED' } },
      first,
      after ? decode(failedCursorSchema, after) : undefined,
    );
  }

  /** The cursor after `item` in the list it was read from. */
  static cursorOf(item: NotificationItem, list: 'user' | 'failed'): string {
    return list === 'user'
      ? encode({ id: item.id, userId: item.userId, createdAt: item.createdAt })
      : encode({ id: item.id, failedShard: 'FAILED', failedAt: item.failedAt });
  }

  private async page(
    query: { IndexName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, string> },
    first: number,
    start: Record<string, unknown> | undefined,
  ): Promise<NotificationPage> {
    // One more than asked, to know whether another page follows.
    const { Items = [] } = await this.client.send(
      new QueryCommand({ TableName: this.table, ...query, ScanIndexForward: false, Limit: first + 1, ExclusiveStartKey: start }),
    );
    const items = Items.map((item) => notificationItemSchema.parse(item));
    return { items: items.slice(0, first), hasNextPage: items.length > first };
  }

  private async update(id: string, expression: string, values: Record<string, unknown>) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: expression.includes('#status') ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
