// Writing a seeded order history (src/seed): orders and their outbox events, without the stock
// decrements of checkout — they are history, and the catalog's stock is today's. The events go
// into the outbox unsent, so the relay publishes them to the bus like any checkout's.
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../domain/events';
import { backoff, type OrderTables } from './dynamo';
import type { OrderItem } from './items';
import { outboxItem } from './order-store';

const BATCH_WRITE_LIMIT = 25;
const ORDERS_PER_CHUNK = 5;

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
   * all their events. Ids are deterministic, so running it twice writes the same items.
   */
  async write(
    orders: readonly OrderItem[],
    events: readonly OutboxEvent[],
    { signal }: { signal?: AbortSignal } = {},
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
      const chunk = orders.slice(start, start + ORDERS_PER_CHUNK);
      const outbox = chunk.flatMap((order) =>
        (eventsByOrder.get(order.id) ?? []).map((event, change) => outboxItem(event, change, 0)),
      );
      // Events first: an order is only there once everything about it is.
      await this.batchWrite(this.tables.outbox, outbox);
      await this.batchWrite(this.tables.orders, chunk as unknown as Record<string, unknown>[]);
      written += chunk.length;
    }
    return written;
  }

  private async batchWrite(table: string, items: readonly Record<string, unknown>[]) {
    for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
      let pending = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 8) throw new Error(`BatchWriteItem on ${table}: items still unprocessed`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  }
}
