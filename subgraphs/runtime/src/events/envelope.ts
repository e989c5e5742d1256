// The versioned envelope of every event on the `orders.events` topic: what the orders subgraph
// writes to its outbox (subgraphs/orders/src/domain/events.ts) and what consumers receive. The
// event types are the orders subgraph's contract (@cloudmart/orders/contract); this topic is the
// bus adapters' default, so its name and envelope stay here with them.
import { z } from 'zod';

/** The topic carrying order and payment events, keyed by order id. */
export const ORDER_EVENTS_TOPIC = 'orders.events';

/**
 * `version` is the payload schema's version, bumped on breaking payload changes; consumers check
 * it. `type` stays a string here so an older consumer can still read (and skip) newer event types.
 * `eventId` is unique per event: delivery is at least once, so consumers dedupe on it.
 */
export const eventEnvelopeSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  orderId: z.string().min(1),
  userId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** Parses a message value; throws a ZodError naming the bad fields. */
export const parseEnvelope = (json: string): EventEnvelope => eventEnvelopeSchema.parse(JSON.parse(json));

/**
 * What an event bus adapter needs to know about a topic: its name, how to read a message, and the
 * message key (events with the same key keep their order). Adapters default to `orderEventsTopic`.
 */
export interface TopicSpec<E> {
  name: string;
  parse(json: string): E;
  key(event: E): string;
}

export const orderEventsTopic: TopicSpec<EventEnvelope> = {
  name: ORDER_EVENTS_TOPIC,
  parse: parseEnvelope,
  key: (event) => event.orderId,
};
