import { openDynamoData, type DynamoConfig } from '@cloudmart/runtime';
import { CartStore } from './cart-store';
import { orderTableRoles } from './dynamo';
import { OrderStore } from './order-store';
import { OutboxStore } from './outbox-store';
import { ProductReader } from './product-reader';

export type { OrderTables } from './dynamo';

/** Everything the orders subgraph keeps in (or reads from) DynamoDB, behind its stores. */
export type OrdersData = Awaited<ReturnType<typeof openOrdersData>>;

/**
 * Connects and creates the subgraph's own tables if they are missing. The products table belongs
 * to the products subgraph, which creates it; checkout fails clearly if it is not there.
 */
export const openOrdersData = (config: DynamoConfig) =>
  openDynamoData(config, 'orders', orderTableRoles, (client, tables) => ({
    orders: new OrderStore(client, tables),
    outbox: new OutboxStore(client, tables.outbox),
    carts: new CartStore(client, tables.carts),
    products: new ProductReader(client, tables.products),
  }));
