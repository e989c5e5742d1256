import { appError } from '@cloudmart/runtime';
import type { OrderStatus } from '../contract';

/**
 * The order lifecycle, the one place it is written down. PENDING_PAYMENT is left only by the
 * checkout itself, or by the payment sweeper finishing or giving up on a checkout's payment (it is
 * mid-authorization; cancelling it then could leave a payment held for a cancelled order).
 * Cancelling is possible until the order ships.
 */
export const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING_PAYMENT: ['PAID', 'PAYMENT_FAILED'],
  PAID: ['FULFILLING', 'CANCELLED'],
  FULFILLING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['REFUNDED'],
  CANCELLED: ['REFUNDED'],
  PAYMENT_FAILED: [],
  REFUNDED: [],
};

export const ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION';

export const canTransition = (from: OrderStatus, to: OrderStatus) => transitions[from].includes(to);

/** Refuses a change the lifecycle does not allow, with a code clients can act on. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw appError('BAD_USER_INPUT', `An order that is ${from} cannot become ${to}.`, {
      reason: ILLEGAL_TRANSITION,
      from,
      to,
    });
  }
}

/** Statuses in which the order still holds its stock (so cancelling must put it back). */
export const holdsStock = (status: OrderStatus) =>
  status === 'PAID' || status === 'FULFILLING' || status === 'PENDING_PAYMENT';
