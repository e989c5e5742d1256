import { randomUUID } from 'node:crypto';

export const orderEventTypes = [
  'OrderPlaced',
  'OrderPaid',
  'OrderStatusChanged',
  'PaymentDeclined',
  'OrderCancelled',
  'OrderRefunded',
] as const;
export type OrderEventType = (typeof orderEventTypes)[number];

/** The outbox envelope; `version` is the payload schema's version, bumped on breaking changes. */
export interface OutboxEvent {
  eventId: string;
  type: OrderEventType;
  version: 1;
  orderId: string;
  userId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
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
