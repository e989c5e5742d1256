import type { BaseContext } from '@cloudmart/runtime';
import type { OrdersConfig } from './config';
import type { Carts } from './domain/cart';
import type { Orders } from './domain/orders';
import type { OrderLoaders } from './data/loaders';

export interface Context extends BaseContext {
  orders: Orders;
  carts: Carts;
  /** Per-request DataLoaders: one BatchGetItem per entity type per request. */
  loaders: OrderLoaders;
  currency: OrdersConfig['CATALOG_CURRENCY'];
}
