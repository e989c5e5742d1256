import { randomUUID } from 'node:crypto';
import type { EventBus, Logger } from '@cloudmart/runtime';
import type { ProductEvent, ProductEventType } from '../contract';

/** Where the catalog reports its writes (products.events; see contract.ts). */
export interface ProductEventPublisher {
  publish(
    type: ProductEventType,
    productId: string,
    payload: Record<string, unknown>,
    userId?: string,
  ): Promise<void>;
}

export const noProductEvents: ProductEventPublisher = { publish: async () => {} };

/**
 * Publishes on the bus after the write. Not an outbox: the write has happened, so a failed publish
 * does not fail the mutation; it is logged, and caches of the product stay stale until their TTL
 * (the gateway's entity cache caps it with ENTITY_CACHE_MAX_TTL_SECONDS).
 */
export function busProductEvents(bus: EventBus<ProductEvent>, log: Logger): ProductEventPublisher {
  return {
    async publish(type, productId, payload, userId) {
      const event: ProductEvent = {
        eventId: randomUUID(),
        type,
        version: 1,
        productId,
        ...(userId ? { userId } : {}),
        occurredAt: new Date().toISOString(),
        payload,
      };
      try {
        await bus.publish([event]);
      } catch (error) {
        log.warn({ err: error, productId, type }, 'could not publish a product event');
      }
    },
  };
}
