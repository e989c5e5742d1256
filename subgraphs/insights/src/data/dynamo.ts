import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableDefinitions, tableName } from '@cloudmart/runtime';

/** The table insights owns, and the other subgraphs' tables it reads (never writes). */
export interface InsightsTables {
  /** Owned: review id → sentiment. */
  sentiment: string;
  /** Read only (products subgraph): categories, and the stream that announces new reviews. */
  products: string;
  /** Read only (products subgraph): the reviews' text. */
  reviews: string;
  /** Read only (orders subgraph): history for the backfill. */
  orders: string;
}

export const insightsTableDefinitions = [tableDefinitions.reviewSentiment];

export const insightsTablesFor = (prefix: string): InsightsTables => ({
  sentiment: tableName(prefix, tableDefinitions.reviewSentiment),
  products: tableName(prefix, tableDefinitions.products),
  reviews: tableName(prefix, tableDefinitions.productReviews),
  orders: tableName(prefix, tableDefinitions.orders),
});

const BATCH_GET_LIMIT = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. */
export async function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  projection?: { expression: string; names: Record<string, string> },
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error(`BatchGetItem on ${table}: keys still unprocessed`);
      if (attempt > 0) await sleep(Math.min(500, 10 * 2 ** attempt));
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ...(projection
                ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }
                : {}),
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
