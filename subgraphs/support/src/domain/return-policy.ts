import type { OrderSummary } from '../services/orders';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReturnEligibility =
  | { eligible: true; deliveredAt: string; deadline: string }
  | {
      eligible: false;
      reason: 'NOT_DELIVERED' | 'WINDOW_CLOSED' | 'ALREADY_REFUNDED';
      deliveredAt?: string;
      deadline?: string;
    };

/** When the order was (last) delivered, from its history. */
export function deliveredAt(order: Pick<OrderSummary, 'events'>): string | undefined {
  return order.events.filter((event) => event.status === 'DELIVERED').at(-1)?.at;
}

/**
 * The return policy, the one place it is written down: a DELIVERED order can be returned until
 * `windowDays` days after its delivery (inclusive of the last instant). A refunded order is done.
 */
export function returnEligibility(
  order: Pick<OrderSummary, 'status' | 'events'>,
  now: Date,
  windowDays: number,
): ReturnEligibility {
  if (order.status === 'REFUNDED') return { eligible: false, reason: 'ALREADY_REFUNDED' };
  const delivered = deliveredAt(order);
  if (order.status !== 'DELIVERED' || !delivered) return { eligible: false, reason: 'NOT_DELIVERED' };
  const deadline = new Date(Date.parse(delivered) + windowDays * DAY_MS).toISOString();
  if (now.getTime() > Date.parse(deadline)) {
    return { eligible: false, reason: 'WINDOW_CLOSED', deliveredAt: delivered, deadline };
  }
  return { eligible: true, deliveredAt: delivered, deadline };
}

export const returnPolicyText = (windowDays: number) =>
  `Delivered orders can be returned within ${windowDays} days of delivery. ` +
  'I can start a return for you with the order number; our team then confirms it, and the refund ' +
  'goes back to the original payment method once the items arrive. Orders that have not shipped ' +
  'yet can simply be cancelled instead.';
