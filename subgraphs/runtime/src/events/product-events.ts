// Catalog changes on the `products.events` topic: what the products subgraph publishes after its
// writes, so that caches of product data (the gateway's entity cache) can drop what went stale.
// The envelope is the order events' (envelope.ts) with the product's id as the key instead of an
// order's. Stock taken or given back by orders is not here: it is in the order events.
import { z } from 'zod';
import type { TopicSpec } from './envelope';

export const PRODUCT_EVENTS_TOPIC = 'products.events';

export const productEventTypes = [
  'ProductCreated',
  'ProductUpdated',
  'InventoryAdjusted',
  'ReviewAdded',
] as const;
export type ProductEventType = (typeof productEventTypes)[number];

/** As the order envelope: `version` is the payload's version; consumers dedupe on `eventId`. */
export const productEventSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  productId: z.string().min(1),
  /** Who made the change, when known (the reviewer of ReviewAdded). */
  userId: z.string().min(1).optional(),
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

export type ProductEvent = z.infer<typeof productEventSchema>;

export const productEventsTopic: TopicSpec<ProductEvent> = {
  name: PRODUCT_EVENTS_TOPIC,
  parse: (json) => productEventSchema.parse(JSON.parse(json)),
  key: (event) => event.productId,
};
