// Event-driven invalidation: each gateway replica follows the event topics in a consumer group of
// its own, from the end (like subscriptions/engine.ts), and drops what an event makes stale —
// whatever store it uses (with Redis, every replica deletes; a delete is idempotent).
// - An order placed takes stock of its products: those Product entities go.
// - An order cancelled or a payment declined gives stock back; their payloads do not list the
//   products, so every cached Product entity goes (rare events).
// - A product event (created, updated, stock adjusted, reviewed) drops that Product.
// Every cached root-field response goes on any of these: listings (`products` with an inStock
// filter, counts, sorting by rating) depend on many products at once, and root responses can
// include product data without saying which, so they are not tracked per product.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  createTopicEventBus,
  type EventBus,
  type EventBusConfig,
  type EventEnvelope,
  type Logger,
} from '@cloudmart/runtime';
import { productEventsTopic, type ProductEvent } from '@cloudmart/products/contract';
import { entityTag, ROOT_TAG, typeTag, type EntityCache } from './entity-cache';

const PRODUCT = 'Product';
/** Order events after which stock went back to products their payload does not list. */
const STOCK_RELEASED = new Set(['OrderCancelled', 'PaymentDeclined', 'OrderRefunded']);

/** The cache tags an order event makes stale (none for events that change no cached data). */
export function orderEventTags(event: EventEnvelope): string[] {
  if (event.type === 'OrderPlaced') {
    const items = Array.isArray(event.payload.items)
      ? (event.payload.items as { productId?: unknown }[])
      : [];
    const ids = items.map((item) => item.productId).filter((id): id is string => typeof id === 'string');
    return [...new Set(ids)].map((id) => entityTag(PRODUCT, id)).concat(ROOT_TAG);
  }
  if (STOCK_RELEASED.has(event.type)) return [typeTag(PRODUCT), ROOT_TAG];
  return [];
}

/** Any catalog change makes its product stale (and the root responses, see above). */
export const productEventTags = (event: ProductEvent): string[] => [
  entityTag(PRODUCT, event.productId),
  ROOT_TAG,
];

export interface InvalidationOptions {
  config: EventBusConfig & { DATA_DIR: string };
  /** The order events' bus, shared with the subscriptions. */
  orderBus: EventBus;
  cache: EntityCache;
  log: Logger;
}

/**
 * Follows the order and product topics from now on, invalidating the cache; a failed invalidation
 * throws, so the bus offers the event again. Resolves to a function that stops following.
 */
export async function followInvalidations({
  config,
  orderBus,
  cache,
  log,
}: InvalidationOptions): Promise<() => Promise<void>> {
  // A group per topic: Kafka keeps rebalancing a group whose members subscribe to different topics.
  const group = `gateway-entity-cache-${os.hostname()}-${randomUUID()}`.replace(/[^\w.-]/g, '-');
  const live = { from: 'latest', ephemeral: true } as const;
  const invalidate = async (tags: string[], event: { eventId: string; type: string }) => {
    if (tags.length === 0) return;
    await cache.invalidate(tags);
    log.debug({ eventId: event.eventId, type: event.type, tags }, 'entity cache invalidated');
  };
  const productBus = createTopicEventBus(config, productEventsTopic, log);
  // Joined side by side: each Kafka group join takes a few seconds.
  const joined = await Promise.allSettled([
    orderBus.subscribe(`${group}-orders`, (event) => invalidate(orderEventTags(event), event), live),
    productBus.subscribe(`${group}-products`, (event) => invalidate(productEventTags(event), event), live),
  ]);
  const subscriptions = joined.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await productBus.close();
  };
  const failed = joined.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return stop;
}
