import type { Logger } from '@cloudmart/runtime';
import { HistoryImport, SeedRaceError, type SeedProgress } from '../data/history-import';
import type { OrdersData } from '../data';
import type { PricingRule } from '../domain/pricing';
import { DEFAULT_HISTORY_DAYS, DEFAULT_HISTORY_SEED, generateOrderHistory } from './generate';

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
  /** Told how many of the history's orders are written, after each chunk. */
  onProgress?: (written: number, count: number) => void;
}

/** True when the seed has nothing (more) to write: it completed, or orders exist that it did not write. */
export async function orderHistoryDone(history: HistoryImport): Promise<boolean> {
  const progress = await history.progress();
  return progress ? progress.written >= progress.count : await history.hasOrders();
}

/**
 * Generates an order history over the products in the products table and writes it with its
 * outbox events (the relay then publishes them). Resumable: the first run records what it sets
 * out to write (count, seed, end — see HistoryImport), and a later run finishes an interrupted
 * seed from that record, whatever its own options say, so the result is the history one
 * uninterrupted run would have written. Does nothing when the seed completed, when orders exist
 * that no seed wrote (a shop in use), or when the catalog is empty. Returns how many orders this
 * call wrote.
 */
export async function seedOrderHistory(
  data: Pick<OrdersData, 'client' | 'tables'>,
  options: SeedOrdersOptions,
): Promise<number> {
  const history = new HistoryImport(data.client, data.tables);
  const progress: SeedProgress | null = await history.progress();
  if (progress ? progress.written >= progress.count : options.count <= 0 || (await history.hasOrders()))
    return 0;
  const catalog = await history.catalog();
  if (catalog.length === 0) {
    options.log?.warn('the products table is empty: no order history seeded');
    return 0;
  }
  const plan =
    progress ??
    (await history.start({
      count: options.count,
      seed: options.seed ?? DEFAULT_HISTORY_SEED,
      end: options.end ?? Date.now(),
      days: options.days ?? DEFAULT_HISTORY_DAYS,
    }));
  const resumedAt = plan.written;
  if (resumedAt > 0)
    options.log?.info({ written: resumedAt, count: plan.count }, 'resuming the order history seed');
  // The same history as the first run's, as long as the catalog is the same (it is once the
  // products seed has finished, which the background seed waits for).
  const { orders, events, shoppers } = generateOrderHistory(catalog, {
    count: plan.count,
    seed: plan.seed,
    end: plan.end,
    days: plan.days,
    pricing: options.pricing,
  });
  const remaining = orders.slice(resumedAt);
  const remainingIds = new Set(remaining.map((order) => order.id));
  let recorded = resumedAt;
  try {
    await history.write(
      remaining,
      events.filter((event) => remainingIds.has(event.orderId)),
      {
        signal: options.signal,
        resuming: resumedAt > 0,
        onChunk: async (written) => {
          await history.advance(recorded, resumedAt + written);
          recorded = resumedAt + written;
          options.onProgress?.(recorded, plan.count);
        },
      },
    );
  } catch (error) {
    if (!(error instanceof SeedRaceError)) throw error;
    options.log?.warn('another process is seeding the order history; leaving it to that one');
  }
  const written = recorded - resumedAt;
  if (recorded >= plan.count)
    options.log?.info({ orders: plan.count, shoppers: shoppers.length }, 'order history seeded');
  else options.log?.info({ written: recorded, count: plan.count }, 'order history seed paused');
  return written;
}
