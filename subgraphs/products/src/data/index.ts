import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables, type DynamoConfig } from '@cloudmart/runtime';
import {
  createProductsDocumentClient,
  productTableDefinitions,
  productTablesFor,
  type ProductTables,
} from './dynamo';
import { ProductStore } from './product-store';
import { ReviewStore } from './review-store';

export { dynamoCalls, productTablesFor, type ProductTables } from './dynamo';

/** Everything the products subgraph keeps in DynamoDB, behind its stores. */
export interface ProductsData {
  client: DynamoDBDocumentClient;
  tables: ProductTables;
  products: ProductStore;
  reviews: ReviewStore;
  close(): void;
}

/** Connects, creates the subgraph's tables if they are missing, and returns the stores. */
export async function openProductsData(config: DynamoConfig): Promise<ProductsData> {
  const client = createProductsDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, productTableDefinitions);
  const tables = productTablesFor(config.DYNAMODB_TABLE_PREFIX);
  const products = new ProductStore(client, tables);
  return {
    client,
    tables,
    products,
    reviews: new ReviewStore(client, tables, products),
    close: () => client.destroy(),
  };
}
