import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, type DynamoConfig } from '@cloudmart/runtime';
import { CatalogReader } from './catalog-reader';
import { recommendationTableDefinitions, recommendationTablesFor, type RecommendationTables } from './dynamo';
import { PurchaseStore } from './purchase-store';

/** Everything the recommendations subgraph keeps in (or reads from) DynamoDB, behind its stores. */
export interface RecommendationsData {
  client: DynamoDBDocumentClient;
  tables: RecommendationTables;
  purchases: PurchaseStore;
  catalog: CatalogReader;
  close(): void;
}

/** Connects and creates the purchases read model's table if missing; the products table is the products subgraph's. */
export async function openRecommendationsData(config: DynamoConfig): Promise<RecommendationsData> {
  const client = createDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, recommendationTableDefinitions);
  const tables = recommendationTablesFor(config.DYNAMODB_TABLE_PREFIX);
  return {
    client,
    tables,
    purchases: new PurchaseStore(client, tables.purchases),
    catalog: new CatalogReader(client, tables.products),
    close: () => client.destroy(),
  };
}
