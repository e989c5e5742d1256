// How the warehouse reads an order's status history. Every status has a rank that only grows along
// the orders subgraph's state machine (PENDING_PAYMENT → PAID → FULFILLING → SHIPPED → DELIVERED,
// → CANCELLED → REFUNDED; PAYMENT_FAILED is terminal), so an order's current status is the one
// with the highest rank it has reached — no need to trust that timestamps never tie. The statuses
// are the orders subgraph's (@cloudmart/orders/contract): a new one fails to compile here until ranked.
import type { OrderStatus } from '@cloudmart/orders/contract';

export const statusRanks = {
  PENDING_PAYMENT: 0,
  PAID: 1,
  FULFILLING: 2,
  SHIPPED: 3,
  DELIVERED: 4,
  CANCELLED: 5,
  REFUNDED: 6,
  PAYMENT_FAILED: 7,
} as const satisfies Record<OrderStatus, number>;

export const isOrderStatus = (value: unknown): value is OrderStatus =>
  typeof value === 'string' && Object.hasOwn(statusRanks, value);

/**
 * Revenue: orders whose current status is PAID, FULFILLING, SHIPPED or DELIVERED. CANCELLED and
 * REFUNDED orders are left out (cancelling refunds the payment, so that money is going back), as
 * are PENDING_PAYMENT and PAYMENT_FAILED ones (no money was taken).
 */
export const REVENUE_RANKS = { min: statusRanks.PAID, max: statusRanks.DELIVERED } as const;
