import { openDynamoData, type DynamoConfig } from '@cloudmart/runtime';
import { createProductsDocumentClient, productTableRoles } from './dynamo';
import { ProductStore } from './product-store';
import { ReviewStore } from './review-store';
import { UploadStore } from './upload-store';

export { dynamoCalls, productTablesFor, type ProductTables } from './dynamo';

/** Everything the products subgraph keeps in DynamoDB, behind its stores. */
export type ProductsData = Awaited<ReturnType<typeof openProductsData>>;

/** Connects, creates the subgraph's tables if they are missing, and returns the stores. */
export const openProductsData = (config: DynamoConfig) =>
  openDynamoData(
    config,
    'products',
    productTableRoles,
    (client, tables) => {
      const products = new ProductStore(client, tables);
      return { products, reviews: new ReviewStore(client, tables, products), uploads: new UploadStore(client, tables) };
    },
    createProductsDocumentClient(config),
  );
