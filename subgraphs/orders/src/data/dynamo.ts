import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableDefinitions, tableName } from '@cloudmart/runtime';

/** The tables the orders subgraph writes, plus the products table it reads and decrements (by contract). */
export interface OrderTables {
  orders: string;
  carts: string;
  idempotency: string;
  outbox: string;
  products: string;
}

/** Tables this subgraph owns and creates at start. The products table is the products subgraph's. */
export const orderTableDefinitions = [
  tableDefinitions.orders,
  tableDefinitions.carts,
  tableDefinitions.checkoutIdempotency,
  tableDefinitions.orderOutbox,
];

export const orderTablesFor = (prefix: string): OrderTables => ({
  orders: tableName(prefix, tableDefinitions.orders),
  carts: tableName(prefix, tableDefinitions.carts),
  idempotency: tableName(prefix, tableDefinitions.checkoutIdempotency),
  outbox: tableName(prefix, tableDefinitions.orderOutbox),
  products: tableName(prefix, tableDefinitions.products),
});

const BATCH_GET_LIMIT = 100;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jittered exponential backoff for lost races: 10 ms, 20 ms, … up to 500 ms. */
export const backoff = (attempt: number) => sleep(Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random()));

/** BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, string>[],
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error(`BatchGetItem on ${table}: keys still unprocessed`);
      if (attempt > 0) await backoff(attempt);
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: options.consistent ?? false,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[table] ?? []));
      pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}
