import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@cloudmart/runtime';
import type { OrderEventPayload, OrderEventType } from '../contract';

/** The outbox envelope; `version` is the payload schema's version, bumped on breaking changes. */
export interface OutboxEvent extends EventEnvelope {
  type: OrderEventType;
  version: 1;
}

/** An event of `type` about `order`, its payload checked against the contract's at compile time. */
export const outboxEvent = <T extends OrderEventType>(
  type: T,
  order: { id: string; userId: string },
  occurredAt: string,
  payload: OrderEventPayload<T>,
): OutboxEvent => ({
  eventId: randomUUID(),
  type,
  version: 1,
  orderId: order.id,
  userId: order.userId,
  occurredAt,
  payload,
});
