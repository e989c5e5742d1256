import type { TableNames } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { ordersTables } from '../contract';

/** The tables the orders subgraph uses, by role: its own, plus the products table it reads and decrements (by contract). */
export const orderTableRoles = {
  orders: ordersTables.orders,
  carts: ordersTables.carts,
  idempotency: ordersTables.checkoutIdempotency,
  outbox: ordersTables.orderOutbox,
  products: productsTables.products,
};
export type OrderTables = TableNames<typeof orderTableRoles>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jittered exponential backoff for lost races: 10 ms, 20 ms, … up to 500 ms. */
export const backoff = (attempt: number) => sleep(Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random()));
