// What the orders subgraph offers the others: its tables, the order lifecycle's statuses, and the
// events it publishes. Other packages import this module as `@cloudmart/orders/contract`.
//
// Events: every order and payment change goes out on the `orders.events` topic (keyed by order
// id) through the transactional outbox (the orderOutbox table below). The envelope and the topic
// are the event bus's default (ORDER_EVENTS_TOPIC, eventEnvelopeSchema, orderEventsTopic in
// @cloudmart/runtime), since every bus adapter falls back to them; the event types are here.
import type { TableDefinition } from '@cloudmart/runtime';
import { z } from 'zod';

export const ordersTables = {
  /**
   * One item per order. `byUser` lists a user's orders newest first (User.orders); `byNumber`
   * finds an order by its human-friendly number (Query.orderByNumber; keys only, the order is then
   * read consistently). Written by checkout in the same TransactWriteItems as the stock
   * decrements, the idempotency record and the outbox event.
   *
   * `byPaymentAction` (sparse, keys only, oldest first) is the payment sweeper's work list
   * (orders/src/workers/payment-sweeper.ts): `paymentAction` is 'AUTHORIZE#<shard>' from checkout
   * until the order leaves PENDING_PAYMENT (with `paymentToken`, the checkout's provider token,
   * kept so the sweeper can retry the authorization), and 'VOID#<shard>' on an order the sweeper
   * gave up on until payments has confirmed that no authorization of it is live (shard:
   * shardedValue of the order id; items written before sharding hold the bare action, and the
   * sweeper reads those too). Both are removed in the transaction that ends that state, so the
   * index only ever holds orders in flight, however large the table grows.
   */
  orders: {
    suffix: 'orders',
    owner: 'orders',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'byUser',
        partitionKey: { name: 'userId', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
      { name: 'byNumber', partitionKey: { name: 'number', type: 'S' }, projection: 'KEYS_ONLY' },
      {
        name: 'byPaymentAction',
        partitionKey: { name: 'paymentAction', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
        projection: 'KEYS_ONLY',
        // Every checkout writes it twice (on, then off): 1,000 checkouts/s would be 2,000 writes/s
        // on one partition value per action without shards.
        shards: 16,
      },
    ],
  },
  /** One item per signed-in user holding the whole cart; `version` guards read-modify-write. */
  carts: {
    suffix: 'carts',
    owner: 'orders',
    partitionKey: { name: 'userId', type: 'S' },
  },
  /**
   * Checkout idempotency: `key` is `<userId>#<idempotencyKey>`, created in the same transaction as
   * the order it names, so within its window one key can only ever make one order. `expiresAt`
   * (epoch seconds, 24 h after the checkout) lets DynamoDB's TTL delete old records; since TTL
   * deletes lazily, readers and the conditional write treat an expired record as absent. One more
   * item, `seed#order-history` (no expiry), records the demo order history seed's plan and
   * progress so an interrupted seed resumes (orders/src/data/history-import.ts).
   */
  checkoutIdempotency: {
    suffix: 'checkout-idempotency',
    owner: 'orders',
    partitionKey: { name: 'key', type: 'S' },
    ttlAttribute: 'expiresAt',
  },
  /**
   * The transactional outbox: one item per event, written in the same transaction as the change
   * it describes. Envelope: eventId, type, version, orderId, userId, occurredAt, payload; plus
   * `sequence` (S, the event's place among its order's events, zero-padded) and, until the outbox
   * relay (orders/src/workers/outbox-relay.ts) has published it, `unsent` ('UNSENT#<shard>', the
   * shard of the event's order id, so an order's events share one shard) and `unsentOrder`
   * (`<occurredAt>#<sequence>`); items written before sharding hold 'UNSENT', and the relay moves
   * them to their shard before it reads. The relay marks an item sent by setting `sentAt` and removing
   * those two, which takes it out of the sparse `unsent` index: the index only ever holds the
   * backlog, so reading it stays cheap however large the table grows (a stream would lose
   * events that wait longer than its 24 h retention during a broker outage).
   */
  orderOutbox: {
    suffix: 'order-outbox',
    owner: 'orders',
    partitionKey: { name: 'eventId', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'unsent',
        partitionKey: { name: 'unsent', type: 'S' },
        sortKey: { name: 'unsentOrder', type: 'S' },
        // By order id, so one order's events share a shard and the relay keeps their order.
        shards: 16,
      },
    ],
    stream: 'NEW_IMAGE',
  },
} as const satisfies Record<string, TableDefinition>;

/** Every status an order can have (the lifecycle between them: src/domain/order-status.ts). */
export const orderStatuses = [
  'PENDING_PAYMENT',
  'PAID',
  'FULFILLING',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'PAYMENT_FAILED',
  'REFUNDED',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** The `type` of each event on `orders.events`. */
export const orderEventTypes = [
  'OrderPlaced',
  'OrderPaid',
  'OrderStatusChanged',
  'PaymentDeclined',
  'OrderCancelled',
  'OrderRefunded',
] as const;
export type OrderEventType = (typeof orderEventTypes)[number];

const minorUnits = z.number().int();
const status = z.enum(orderStatuses);

/**
 * Each event's payload, version 1 (the envelope's `version`). Money is in integer minor units of
 * `currency`. A consumer parses what it reads and ignores the rest, so adding a field is not a new
 * version; removing or retyping one is.
 */
export const orderEventPayloadSchemas = {
  OrderPlaced: z.object({
    number: z.string(),
    currency: z.string(),
    items: z.array(z.object({ productId: z.string(), quantity: z.number().int().positive(), unitPrice: minorUnits })),
    subtotal: minorUnits,
    tax: minorUnits,
    shipping: minorUnits,
    total: minorUnits,
  }),
  OrderPaid: z.object({ paymentId: z.string(), amount: minorUnits, currency: z.string() }),
  OrderStatusChanged: z.object({ from: status, to: status }),
  /** `paymentId` is null when payments could not be reached at all. */
  PaymentDeclined: z.object({ paymentId: z.string().nullable(), declineCode: z.string().nullable() }),
  OrderCancelled: z.object({ from: status }),
  OrderRefunded: z.object({ paymentId: z.string(), amount: minorUnits, currency: z.string() }),
} as const satisfies Record<OrderEventType, z.ZodType>;
export type OrderEventPayload<T extends OrderEventType> = z.infer<(typeof orderEventPayloadSchemas)[T]>;
