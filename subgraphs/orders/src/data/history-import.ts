// Writing a seeded order history (src/seed): orders and their outbox events, without the stock
// decrements of checkout — they are history, and the catalog's stock is today's. The events go
// into the outbox unsent, so the relay publishes them to the bus like any checkout's.
//
// The seed's progress is one item in the checkout-idempotency table, under a key no checkout can
// have (`seed#order-history`; checkout keys start with a user id): what the seed set out to write
// (count, seed, end of the history) and how many orders are written. A seed stopped half-way
// (Ctrl-C during `npm start`) regenerates the same history from it on the next start and writes the
// rest. It lives there, not in the orders table, because other services scan the orders table and
// expect orders only; and the idempotency table is where "this work is done once" is recorded.
import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchWriteAll } from '@cloudmart/runtime';
import { z } from 'zod';
import type { OutboxEvent } from '../domain/events';
import type { OrderTables } from './dynamo';
import type { OrderItem } from './items';
import { outboxItem } from './order-store';

const ORDERS_PER_CHUNK = 5;
const SEED_PROGRESS_KEY = 'seed#order-history';

export const seedProgressSchema = z.object({
  /** How many orders the history holds. */
  count: z.number().int().min(0),
  seed: z.string(),
  /** The history's last instant (epoch ms) and its length in days: with `seed`, they fix every order. */
  end: z.number().int(),
  days: z.number().int().positive(),
  /** Orders written so far, oldest first: the history's first `written` orders are complete. */
  written: z.number().int().min(0),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type SeedProgress = z.infer<typeof seedProgressSchema>;

/** Another process recorded progress first: two seeders are writing the same history; this one stops. */
export class SeedRaceError extends Error {
  override name = 'SeedRaceError';
}

export interface CatalogEntry {
  id: string;
  category: string;
  priceAmount: number;
  currency: string;
}

export class HistoryImport {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: OrderTables,
  ) {}

  /** The seed's progress, if a seed ever started here. */
  async progress(): Promise<SeedProgress | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.idempotency,
        Key: { key: SEED_PROGRESS_KEY },
        ConsistentRead: true,
      }),
    );
    return Item ? seedProgressSchema.parse(Item) : null;
  }

  /** Records that a seed starts, unless one already has: returns the progress that counts. */
  async start(plan: Omit<SeedProgress, 'written' | 'startedAt' | 'updatedAt'>): Promise<SeedProgress> {
    const now = new Date().toISOString();
    const progress: SeedProgress = { ...plan, written: 0, startedAt: now, updatedAt: now };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.idempotency,
          Item: { key: SEED_PROGRESS_KEY, ...progress },
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': 'key' },
        }),
      );
      return progress;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.progress();
      if (!existing) throw error;
      return existing;
    }
  }

  /** Moves progress from `from` to `to` orders written; SeedRaceError if it is no longer at `from`. */
  async advance(from: number, to: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.idempotency,
          Key: { key: SEED_PROGRESS_KEY },
          UpdateExpression: 'SET written = :to, updatedAt = :now',
          ConditionExpression: 'written = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to, ':now': new Date().toISOString() },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new SeedRaceError(`seed progress is no longer at ${from} orders`);
      throw error;
    }
  }

  /** True when the orders table holds at least one order. */
  async hasOrders(): Promise<boolean> {
    const page = await this.client.send(
      new ScanCommand({ TableName: this.tables.orders, Limit: 1, ProjectionExpression: 'id' }),
    );
    return (page.Items ?? []).length > 0;
  }

  /**
   * Every product's id, category and price: a read of the products table, as its contract allows.
   * Empty while the products service has not created the table yet.
   */
  async catalog(): Promise<CatalogEntry[]> {
    try {
      return await this.scanCatalog();
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
  }

  private async scanCatalog(): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tables.products,
          ProjectionExpression: 'id, category, priceAmount, currency',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (
          typeof item.id === 'string' &&
          typeof item.category === 'string' &&
          typeof item.priceAmount === 'number'
        )
          entries.push({
            id: item.id,
            category: item.category,
            priceAmount: item.priceAmount,
            currency: typeof item.currency === 'string' ? item.currency : 'USD',
          });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return entries.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * Puts the orders with their events as unsent outbox items (an order's i-th event is its i-th
   * state change), a few orders at a time, so a seed that stops half-way leaves whole orders with
   * all their events; `onChunk` hears how many are written after each chunk. Ids are
   * deterministic. With `resuming`, the first chunk may have been partly written by a process that
   * died in it: its items that exist are left alone (an event already published is not made
   * unsent again), and only the missing ones are written.
   */
  async write(
    orders: readonly OrderItem[],
    events: readonly OutboxEvent[],
    {
      signal,
      resuming = false,
      onChunk,
    }: { signal?: AbortSignal; resuming?: boolean; onChunk?: (written: number) => Promise<void> } = {},
  ): Promise<number> {
    const eventsByOrder = new Map<string, OutboxEvent[]>();
    for (const event of events) {
      let list = eventsByOrder.get(event.orderId);
      if (!list) eventsByOrder.set(event.orderId, (list = []));
      list.push(event);
    }
    let written = 0;
    for (let start = 0; start < orders.length; start += ORDERS_PER_CHUNK) {
      if (signal?.aborted) break;
      let chunk: Record<string, unknown>[] = orders.slice(start, start + ORDERS_PER_CHUNK);
      let outbox = chunk.flatMap((order) =>
        (eventsByOrder.get(String(order.id)) ?? []).map((event, change) => outboxItem(event, change, 0)),
      );
      if (resuming && start === 0) {
        outbox = await this.missing(this.tables.outbox, 'eventId', outbox);
        chunk = await this.missing(this.tables.orders, 'id', chunk);
      }
      // Events first: an order is only there once everything about it is.
      await this.batchWrite(this.tables.outbox, outbox);
      await this.batchWrite(this.tables.orders, chunk);
      written = Math.min(orders.length, start + ORDERS_PER_CHUNK);
      await onChunk?.(written);
    }
    return written;
  }

  /** The items whose key is not in the table yet. */
  private async missing(table: string, key: string, items: Record<string, unknown>[]) {
    if (items.length === 0) return items;
    const found = await batchGetAll(
      this.client,
      table,
      items.map((item) => ({ [key]: String(item[key]) })),
      { consistent: true, projection: { expression: '#key', names: { '#key': key } } },
    );
    const present = new Set(found.map((item) => String(item[key])));
    return items.filter((item) => !present.has(String(item[key])));
  }

  /** In order, one BatchWriteItem at a time: an interrupted seed leaves a prefix written. */
  private async batchWrite(table: string, items: readonly Record<string, unknown>[]) {
    await batchWriteAll(
      this.client,
      items.map((item) => ({ table, item })),
      { concurrency: 1 },
    );
  }
}
