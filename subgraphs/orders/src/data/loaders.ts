import DataLoader from 'dataloader';
import type { OrderItem, ProductPrice } from './items';
import type { OrderStore } from './order-store';
import type { ProductReader } from './product-reader';

export interface OrderLoaders {
  /** Order entities: every id in one gateway fetch is one BatchGetItem. */
  orderById: DataLoader<string, OrderItem | null>;
  /** Current catalog prices for cart subtotals. */
  productById: DataLoader<string, ProductPrice | null>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createLoaders(orders: OrderStore, products: ProductReader): OrderLoaders {
  return {
    orderById: new DataLoader(async (ids) => {
      const found = new Map((await orders.getMany(ids)).map((order) => [order.id, order]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    productById: new DataLoader(async (ids) => {
      const found = await products.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
