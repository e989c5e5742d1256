import { tableName } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { ordersTables } from '../contract';

/** The tables the orders subgraph writes, plus the products table it reads and decrements (by contract). */
export interface OrderTables {
  orders: string;
  carts: string;
  idempotency: string;
  outbox: string;
  products: string;
}

/** Tables this subgraph owns and creates at start. The products table is the products subgraph's. */
export const orderTableDefinitions = Object.values(ordersTables);

export const orderTablesFor = (prefix: string): OrderTables => ({
  orders: tableName(prefix, ordersTables.orders),
  carts: tableName(prefix, ordersTables.carts),
  idempotency: tableName(prefix, ordersTables.checkoutIdempotency),
  outbox: tableName(prefix, ordersTables.orderOutbox),
  products: tableName(prefix, productsTables.products),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jittered exponential backoff for lost races: 10 ms, 20 ms, … up to 500 ms. */
export const backoff = (attempt: number) => sleep(Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random()));
