import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, tableDefinitions, tableName, type DynamoConfig } from '@cloudmart/runtime';

/** The products subgraph's tables, by role. */
export interface ProductTables {
  products: string;
  skus: string;
  reviews: string;
}

export const productTableDefinitions = [
  tableDefinitions.products,
  tableDefinitions.productSkus,
  tableDefinitions.productReviews,
];

export const productTablesFor = (prefix: string): ProductTables => ({
  products: tableName(prefix, tableDefinitions.products),
  skus: tableName(prefix, tableDefinitions.productSkus),
  reviews: tableName(prefix, tableDefinitions.productReviews),
});

/**
 * Counts the DynamoDB calls this process sends, by operation and table (e.g.
 * "BatchGetItem cloudmart-products"). Tests read it to prove that a query costs one batch, not one
 * read per entity; it is also the place to hang metrics.
 */
export class DynamoCallCounter {
  private readonly counts = new Map<string, number>();

  record(operation: string, tables: string[]) {
    for (const table of tables.length ? tables : ['-']) {
      const key = `${operation} ${table}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  count(operation: string, table: string): number {
    return this.counts.get(`${operation} ${table}`) ?? 0;
  }

  /** Every call since the last reset, e.g. { "BatchGetItem cloudmart-products": 1 }. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset() {
    this.counts.clear();
  }
}

/** One counter for the process: the servers a test starts in-process all report here. */
export const dynamoCalls = new DynamoCallCounter();

function tablesOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const { TableName, RequestItems, TransactItems } = input as {
    TableName?: unknown;
    RequestItems?: Record<string, unknown>;
    TransactItems?: Record<string, { TableName?: string }>[];
  };
  if (typeof TableName === 'string') return [TableName];
  if (RequestItems) return Object.keys(RequestItems);
  if (TransactItems) {
    const names = TransactItems.flatMap((item) =>
      Object.values(item).map((operation) => operation.TableName ?? ''),
    );
    return [...new Set(names.filter(Boolean))];
  }
  return [];
}

/** A DocumentClient whose every call is counted in `dynamoCalls`. */
export function createProductsDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const client = createDocumentClient(config);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      dynamoCalls.record((context.commandName ?? 'Unknown').replace(/Command$/, ''), tablesOf(args.input));
      return next(args);
    },
    { step: 'initialize', name: 'cloudmartCallCounter' },
  );
  return client;
}

/** BatchGetItem takes at most 100 keys; BatchWriteItem at most 25 items. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;
const MAX_ATTEMPTS = 8;

const backoff = (attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2)),
  );

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Reads items by key from one table: BatchGetItem calls of at most 100 keys, sent together;
 * keys DynamoDB leaves unprocessed (throttling, 16 MB limit) are asked for again with backoff.
 * Returns the items found, in no particular order.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, string>[],
  { consistent = false } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await Promise.all(
    chunk(keys, BATCH_GET_LIMIT).map(async (batch) => {
      let pending: Record<string, unknown>[] = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`BatchGetItem on ${table}: keys still unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await client.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }),
  );
  return found;
}

/**
 * Writes items (to one or more tables) with BatchWriteItem, 25 per call and `concurrency` calls at
 * a time, retrying unprocessed items with backoff. `onWritten` hears how many items each call stored.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  puts: readonly { table: string; item: Record<string, unknown> }[],
  { concurrency = 4, onWritten }: { concurrency?: number; onWritten?: (count: number) => void } = {},
): Promise<void> {
  const batches = chunk(puts, BATCH_WRITE_LIMIT);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      for (const { table, item } of batch) (pending[table] ??= []).push({ PutRequest: { Item: item } });
      for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`BatchWriteItem: items still unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const sent = Object.values(pending).reduce((sum, requests) => sum + requests.length, 0);
        const result = await client.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = (result.UnprocessedItems ?? {}) as typeof pending;
        const left = Object.values(pending).reduce((sum, requests) => sum + requests.length, 0);
        onWritten?.(sent - left);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}
