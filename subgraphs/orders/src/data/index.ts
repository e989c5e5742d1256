import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, type DynamoConfig } from '@cloudmart/runtime';
import { CartStore } from './cart-store';
import { orderTableDefinitions, orderTablesFor, type OrderTables } from './dynamo';
import { OrderStore } from './order-store';
import { OutboxStore } from './outbox-store';
import { ProductReader } from './product-reader';

export type { OrderTables } from './dynamo';

/** Everything the orders subgraph keeps in (or reads from) DynamoDB, behind its stores. */
export interface OrdersData {
  client: DynamoDBDocumentClient;
  tables: OrderTables;
  orders: OrderStore;
  outbox: OutboxStore;
  carts: CartStore;
  products: ProductReader;
  close(): void;
}

/**
 * Connects and creates the subgraph's own tables if they are missing. The products table belongs
 * to the products subgraph, which creates it; checkout fails clearly if it is not there.
 */
export async function openOrdersData(config: DynamoConfig): Promise<OrdersData> {
  const client = createDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, orderTableDefinitions);
  const tables = orderTablesFor(config.DYNAMODB_TABLE_PREFIX);
  return {
    client,
    tables,
    orders: new OrderStore(client, tables),
    outbox: new OutboxStore(client, tables.outbox),
    carts: new CartStore(client, tables.carts),
    products: new ProductReader(client, tables.products),
    close: () => client.destroy(),
  };
}
