// Live sales windows in insights' own DynamoDB table (contract.ts, `salesWindows`). Every write
// is idempotent and additive, so several replicas (each consuming some partitions of
// orders.events) add to the same windows, and a redelivered event changes nothing:
// - a sale is one transaction: the event's de-duplication item (put only if absent), ADD to the
//   window's totals (only while the window is not closed), ADD to each of its categories' rows;
// - a late event is one transaction: the de-duplication item, ADD 1 to the window's lateEvents;
// - closing sets closedAt once (conditional), so of several replicas closing a window one does;
// - after a close and after each late event counted against a closed window, `revision` grows and
//   the window is listed in the `pending` index until that revision is published.
// A close and a sale racing on one window are serialised by DynamoDB: the sale's transaction
// checks the header it updates, so it lands before the close or fails as late — never after.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Sale, SalesWindow, TimeWindow } from '../domain/sales-windows';

/** How long items stay after their window ended (DynamoDB TTL). */
const RETENTION_SECONDS = 7 * 86_400;
/** The one value of the sparse indexes' partition key (few items: a window a minute). */
const INDEXED = 'W';

const windowKey = (start: number) => `W#${new Date(start).toISOString()}`;
const HEADER = '#';
const categoryKey = (category: string) => `C#${category}`;
const eventKey = (eventId: string) => `E#${eventId}`;

const headerSchema = z.object({
  windowStart: z.string(),
  windowEnd: z.string(),
  orders: z.number().int().default(0),
  units: z.number().int().default(0),
  revenue: z.number().int().default(0),
  lateEvents: z.number().int().default(0),
  closedAt: z.string().optional(),
  revision: z.number().int().default(0),
  publishedRevision: z.number().int().optional(),
});

const categorySchema = z.object({
  category: z.string(),
  orders: z.number().int(),
  units: z.number().int(),
  revenue: z.number().int(),
});

/** A window not yet closed, or closed with a revision not yet published. */
export interface PendingWindow extends TimeWindow {
  closed: boolean;
  revision: number;
  /** Revision last published; absent before the first publication. */
  publishedRevision?: number;
}

export type AddSaleResult = 'added' | 'duplicate' | 'closed';

export class SalesWindowStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Adds a sale to its window, unless its event was counted already or the window is closed. */
  async addSale(sale: Sale): Promise<AddSaleResult> {
    const pk = windowKey(sale.window.start);
    const expiresAt = Math.floor(sale.window.end / 1000) + RETENTION_SECONDS;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.dedupe(sale.eventId, sale.window, expiresAt),
            {
              Update: {
                TableName: this.table,
                Key: { pk, sk: HEADER },
                ConditionExpression: 'attribute_not_exists(closedAt)',
                UpdateExpression:
                  'SET windowStart = :start, windowEnd = :end, pendingKey = :indexed, expiresAt = :expires ' +
                  'ADD orders :one, units :units, revenue :revenue, lateEvents :zero, revision :zero',
                ExpressionAttributeValues: {
                  ':start': new Date(sale.window.start).toISOString(),
                  ':end': new Date(sale.window.end).toISOString(),
                  ':indexed': INDEXED,
                  ':expires': expiresAt,
                  ':one': 1,
                  ':zero': 0,
                  ':units': sale.units,
                  ':revenue': sale.revenue,
                },
              },
            },
            ...sale.categories.map((row) => ({
              Update: {
                TableName: this.table,
                Key: { pk, sk: categoryKey(row.category) },
                UpdateExpression: 'SET category = :category, expiresAt = :expires ADD orders :one, units :units, revenue :revenue',
                ExpressionAttributeValues: {
                  ':category': row.category,
                  ':expires': expiresAt,
                  ':one': 1,
                  ':units': row.units,
                  ':revenue': row.revenue,
                },
              },
            })),
          ],
        }),
      );
      return 'added';
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.[0]) return 'duplicate';
      if (failed?.[1]) return 'closed';
      throw error;
    }
  }

  /** Counts a late event against its window, once. False when it was counted already. */
  async addLate(eventId: string, window: TimeWindow): Promise<boolean> {
    const expiresAt = Math.floor(window.end / 1000) + RETENTION_SECONDS;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.dedupe(eventId, window, expiresAt),
            {
              Update: {
                TableName: this.table,
                Key: { pk: windowKey(window.start), sk: HEADER },
                // Listed as pending again: a closed window's new revision is to be published.
                UpdateExpression:
                  'SET windowStart = :start, windowEnd = :end, pendingKey = :indexed, expiresAt = :expires ' +
                  'ADD lateEvents :one, revision :one, orders :zero, units :zero, revenue :zero',
                ExpressionAttributeValues: {
                  ':start': new Date(window.start).toISOString(),
                  ':end': new Date(window.end).toISOString(),
                  ':indexed': INDEXED,
                  ':expires': expiresAt,
                  ':one': 1,
                  ':zero': 0,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)?.[0]) return false;
      throw error;
    }
  }

  /** Windows still open, or closed with a revision to publish (the `pending` index), oldest first. */
  async pending(): Promise<PendingWindow[]> {
    const windows: PendingWindow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'pending',
          KeyConditionExpression: 'pendingKey = :indexed',
          ExpressionAttributeValues: { ':indexed': INDEXED },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const header = headerSchema.parse(item);
        windows.push({
          start: Date.parse(header.windowStart),
          end: Date.parse(header.windowEnd),
          closed: header.closedAt !== undefined,
          revision: header.revision,
          publishedRevision: header.publishedRevision,
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return windows;
  }

  /**
   * Closes a window, once: its new revision, or undefined when it was closed already (or has no
   * item). Its figures never change after.
   */
  async close(windowStart: number): Promise<number | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: windowKey(windowStart), sk: HEADER },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closedAt)',
          UpdateExpression: 'SET closedAt = :now, closedKey = :indexed ADD revision :one',
          ExpressionAttributeValues: { ':now': new Date(this.clock()).toISOString(), ':indexed': INDEXED, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return z.object({ revision: z.number().int() }).parse(Attributes).revision;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Records that `revision` was published; the window leaves the pending index unless a late
   * event made a newer revision meanwhile.
   */
  async markPublished(windowStart: number, revision: number): Promise<void> {
    const Key = { pk: windowKey(windowStart), sk: HEADER };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          ConditionExpression: 'revision = :revision',
          UpdateExpression: 'SET publishedRevision = :revision REMOVE pendingKey',
          ExpressionAttributeValues: { ':revision': revision },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // A newer revision: stays pending, and is published on the next pass.
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(publishedRevision) OR publishedRevision < :revision)',
          UpdateExpression: 'SET publishedRevision = :revision',
          ExpressionAttributeValues: { ':revision': revision },
        }),
      ).catch((second: unknown) => {
        if (!(second instanceof ConditionalCheckFailedException)) throw second;
      });
    }
  }

  /** A window with its categories (strongly consistent), or undefined when it has no item. */
  async get(windowStart: number): Promise<SalesWindow | undefined> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': windowKey(windowStart) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const headerItem = items.find((item) => item.sk === HEADER);
    if (!headerItem) return undefined;
    const header = headerSchema.parse(headerItem);
    const categories = items
      .filter((item) => item.sk !== HEADER)
      .map((item) => categorySchema.parse(item))
      .sort((a, b) => b.revenue - a.revenue || a.category.localeCompare(b.category));
    return {
      start: Date.parse(header.windowStart),
      end: Date.parse(header.windowEnd),
      closed: header.closedAt !== undefined,
      orders: header.orders,
      units: header.units,
      revenue: header.revenue,
      lateEvents: header.lateEvents,
      categories,
    };
  }

  /** The `last` most recently started closed windows, newest first. */
  async recentClosed(last: number): Promise<SalesWindow[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'closed',
        KeyConditionExpression: 'closedKey = :indexed',
        ExpressionAttributeValues: { ':indexed': INDEXED },
        ProjectionExpression: 'windowStart',
        ScanIndexForward: false,
        Limit: last,
      }),
    );
    const starts = (page.Items ?? []).map((item) => Date.parse(z.object({ windowStart: z.string() }).parse(item).windowStart));
    const windows = await Promise.all(starts.map((start) => this.get(start)));
    return windows.filter((window): window is SalesWindow => window !== undefined);
  }

  private dedupe(eventId: string, window: TimeWindow, expiresAt: number) {
    return {
      Put: {
        TableName: this.table,
        Item: { pk: eventKey(eventId), sk: HEADER, windowStart: new Date(window.start).toISOString(), expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}

/** For a cancelled transaction: which of its items failed their condition (by position). */
function failedConditions(error: unknown): boolean[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const failed = reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
  return failed.some(Boolean) ? failed : undefined;
}
