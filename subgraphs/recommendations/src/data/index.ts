import { openDynamoData, type DynamoConfig } from '@cloudmart/runtime';
import { CatalogReader } from './catalog-reader';
import { recommendationTableRoles } from './dynamo';
import { PurchaseStore } from './purchase-store';

/** Everything the recommendations subgraph keeps in (or reads from) DynamoDB, behind its stores. */
export type RecommendationsData = Awaited<ReturnType<typeof openRecommendationsData>>;

/** Connects and creates the purchases read model's table if missing; the products table is the products subgraph's. */
export const openRecommendationsData = (config: DynamoConfig) =>
  openDynamoData(config, 'recommendations', recommendationTableRoles, (client, tables) => ({
    purchases: new PurchaseStore(client, tables.purchases),
    catalog: new CatalogReader(client, tables.products),
  }));
