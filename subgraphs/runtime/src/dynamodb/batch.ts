// Reads by key and batched writes, with DynamoDB's limits and partial results: BatchGetItem takes
// at most 100 keys and BatchWriteItem 25 items per call, and either may hand back part of its work
// (UnprocessedKeys / UnprocessedItems: throttling, the 16 MB response cap), which must be asked
// for again or items silently go missing. Every subgraph's stores read and write through these.
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** Calls per batch before giving up: a batch still unprocessed after ~3 s of backoff is an outage. */
const MAX_ATTEMPTS = 8;

/** Jittered exponential backoff before attempt n (n ≥ 1): 25 ms, 50 ms, … up to 1 s, times 0.5–1. */
const backoff = (attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2)),
  );

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export interface BatchGetOptions {
  /** Strongly consistent reads (twice the cost): for data just written, or checked before a write. */
  consistent?: boolean;
  /** A ProjectionExpression, with its placeholder names: only these attributes come back. */
  projection?: { expression: string; names?: Record<string, string> };
}

/**
 * Reads items by key from one table: BatchGetItem calls of at most 100 keys, sent together;
 * keys DynamoDB leaves unprocessed are asked for again with backoff, at most 8 calls per batch.
 * Returns the items found, in no particular order (missing keys are simply absent).
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  { consistent = false, projection }: BatchGetOptions = {},
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
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ConsistentRead: consistent,
                ...(projection
                  ? {
                      ProjectionExpression: projection.expression,
                      ExpressionAttributeNames: projection.names,
                    }
                  : {}),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }),
  );
  return found;
}

/** How a store checks what it reads (a zod schema of its item). */
export interface ItemSchema<T> {
  parse(item: unknown): T;
}

/** One item by key, read consistently (it may just have been written), checked; null when absent. */
export async function getItem<T>(
  client: DynamoDBDocumentClient,
  table: string,
  key: Record<string, unknown>,
  schema: ItemSchema<T>,
): Promise<T | null> {
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item ? schema.parse(Item) : null;
}

/** Items by key through batchGetAll, each checked; keys without an item are absent. */
export async function getItems<T>(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  schema: ItemSchema<T>,
  options?: BatchGetOptions,
): Promise<T[]> {
  return (await batchGetAll(client, table, keys, options)).map((item) => schema.parse(item));
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
