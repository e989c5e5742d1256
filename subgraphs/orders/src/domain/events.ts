import { randomUUID } from 'node:crypto';
import type { EventEnvelope, OrderEventType } from '@cloudmart/runtime';

// The event types and envelope are shared with consumers through @cloudmart/runtime's events module.
export { orderEventTypes, type OrderEventType } from '@cloudmart/runtime';

/** The outbox envelope; `version` is the payload schema's version, bumped on breaking changes. */
export interface OutboxEvent extends EventEnvelope {
  type: OrderEventType;
  version: 1;
}

export const outboxEvent = (
  type: OrderEventType,
  order: { id: string; userId: string },
  occurredAt: string,
  payload: Record<string, unknown>,
): OutboxEvent => ({
  eventId: randomUUID(),
  type,
  version: 1,
  orderId: order.id,
  userId: order.userId,
  occurredAt,
  payload,
});
