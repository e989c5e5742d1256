import type { Logger } from '@cloudmart/runtime';
import { HistoryImport } from '../data/history-import';
import type { OrdersData } from '../data';
import type { PricingRule } from '../domain/pricing';
import { generateOrderHistory } from './generate';

export interface SeedOrdersOptions {
  count: number;
  seed?: string;
  /** The history ends now by default. */
  end?: number;
  days?: number;
  pricing: PricingRule;
  log?: Logger;
  /** Stops between chunks of orders (a service shutting down). */
  signal?: AbortSignal;
}

/**
 * Generates an order history over the products in the products table and writes it with its
 * outbox events (the relay then publishes them). Does nothing when orders exist already or the
 * catalog is empty. Returns how many orders it wrote.
 */
export async function seedOrderHistory(
  data: Pick<OrdersData, 'client' | 'tables'>,
  options: SeedOrdersOptions,
) {
  const history = new HistoryImport(data.client, data.tables);
  if (options.count <= 0 || (await history.hasOrders())) return 0;
  const catalog = await history.catalog();
  if (catalog.length === 0) {
    options.log?.warn('the products table is empty: no order history seeded');
    return 0;
  }
  const { orders, events, shoppers } = generateOrderHistory(catalog, {
    count: options.count,
    seed: options.seed,
    end: options.end ?? Date.now(),
    days: options.days,
    pricing: options.pricing,
  });
  const written = await history.write(orders, events, { signal: options.signal });
  options.log?.info({ orders: written, shoppers: shoppers.length }, 'order history seeded');
  return written;
}
