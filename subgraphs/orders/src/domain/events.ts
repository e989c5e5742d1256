import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@cloudmart/runtime';
import type { OrderEventType } from '../contract';

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
