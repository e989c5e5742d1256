// `npm start` seeds the demo order history (SEED_DEMO_DATA, SEED_ORDER_COUNT) from inside the
// orders service, after start-up: the products service seeds the catalog at the same time, so
// this waits until the products table has stopped growing, then writes the history. Its events
// reach the bus through the outbox relay, like any checkout's. A seed stopped half-way (Ctrl-C)
// is finished by the next start (see seedOrderHistory).
import type { Logger } from '@cloudmart/runtime';
import type { OrdersData } from '../data';
import { HistoryImport } from '../data/history-import';
import { orderHistoryDone, seedOrderHistory, type SeedOrdersOptions } from './load';

const POLL_MS = 1_000;
/** Gives up waiting for a catalog after this long (a products service that never seeds). */
const GIVE_UP_MS = 10 * 60_000;

export interface BackgroundSeed {
  /** Stops waiting, or stops after the chunk of orders being written. */
  stop(): Promise<void>;
}

export function seedOrderHistoryInBackground(
  data: Pick<OrdersData, 'client' | 'tables'>,
  options: Omit<SeedOrdersOptions, 'signal' | 'log'> & { log: Logger },
): BackgroundSeed {
  const controller = new AbortController();
  const history = new HistoryImport(data.client, data.tables);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  const run = async () => {
    if (await orderHistoryDone(history)) return;
    const deadline = Date.now() + GIVE_UP_MS;
    let previous = -1;
    for (;;) {
      if (controller.signal.aborted) return;
      const count = (await history.catalog()).length;
      if (count > 0 && count === previous) break;
      if (Date.now() > deadline) {
        options.log.warn('no stable product catalog to seed an order history over: none seeded');
        return;
      }
      previous = count;
      await sleep(POLL_MS);
    }
    await seedOrderHistory(data, { ...options, signal: controller.signal });
  };
  const done = run().catch((error: unknown) =>
    options.log.error({ err: error }, 'seeding the order history failed'),
  );
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}
