// Straight to DynamoDB, past the services: for tests that set up states the API cannot reach
// (time passing) or check what was stored (every order, payment, ledger entry, outbox event).
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '@cloudmart/runtime';
import { createDocumentClient, dynamoConfigSchema, tableName } from '@cloudmart/runtime';
import { allTables, type TableKey } from '@cloudmart/scripts/deploy/contracts';
import type { TestSupergraph } from './supergraph';

/** Writes an item straight to one of the tables (to set up states the API cannot reach, e.g. time passing). */
export async function putItem(
  graph: Pick<TestSupergraph, 'env'>,
  table: TableKey,
  item: Record<string, unknown>,
) {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    await client.send(
      new PutCommand({
        TableName: tableName(config.DYNAMODB_TABLE_PREFIX, allTables[table]),
        Item: item,
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Every item of one of the tables (small in tests), read straight and consistently from DynamoDB. */
export async function scanTable(
  graph: Pick<TestSupergraph, 'env'>,
  table: TableKey,
): Promise<Record<string, unknown>[]> {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName(config.DYNAMODB_TABLE_PREFIX, allTables[table]),
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}
