import { randomUUID } from 'node:crypto';
import type { Identity } from '@cloudmart/runtime';
import type { LedgerEntry, PaymentItem, PaymentStatus } from '../data/items';
import { PaymentWriteConflict, type PaymentStore } from '../data/payment-store';
import type { PaymentProvider } from '../services/payment-provider';

/** Typed failures; the internal HTTP API turns them into status codes. */
export class PaymentAccessError extends Error {
  override name = 'PaymentAccessError';
}
export class PaymentNotFoundError extends Error {
  override name = 'PaymentNotFoundError';
}
export class PaymentStateError extends Error {
  override name = 'PaymentStateError';
}

export interface AuthorizeCommand {
  orderId: string;
  amount: number;
  currency: string;
  paymentToken: string;
  /** The provider idempotency key; the orders subgraph derives it from the order id. */
  idempotencyKey: string;
}

/**
 * The payment rules. Each operation is safe to repeat: the provider call carries an idempotency
 * key, and the store's conditional writes let only one of several concurrent callers record the
 * result — the others read it back.
 */
export class PaymentService {
  constructor(
    private readonly store: PaymentStore,
    private readonly provider: PaymentProvider,
  ) {}

  /** Authorizes the order's amount, once: a repeated call returns the payment already recorded. */
  async authorize(caller: Identity, command: AuthorizeCommand): Promise<PaymentItem> {
    const existing = await this.store.get(command.orderId);
    if (existing) return this.readable(caller, existing);
    const result = await this.provider.authorize(command);
    const now = new Date().toISOString();
    const status: PaymentStatus = result.approved ? 'AUTHORIZED' : 'DECLINED';
    const payment: PaymentItem = {
      orderId: command.orderId,
      id: `pay_${randomUUID()}`,
      userId: caller.userId,
      status,
      amount: command.amount,
      currency: command.currency,
      brand: result.brand,
      last4: result.last4,
      providerRef: result.approved ? result.providerRef : undefined,
      declineCode: result.approved ? undefined : result.declineCode,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.create(payment, this.entry(payment, status, command.idempotencyKey, caller, now));
      return payment;
    } catch (error) {
      if (!(error instanceof PaymentWriteConflict)) throw error;
      // A concurrent duplicate recorded it first (with the same provider result, same key).
      const winner = await this.store.get(command.orderId);
      if (!winner) throw error;
      return this.readable(caller, winner);
    }
  }

  /** Charges an authorized payment (fulfilment). Staff only. */
  capture(caller: Identity, orderId: string, idempotencyKey: string): Promise<PaymentItem> {
    if (caller.role !== 'ADMIN') throw new PaymentAccessError('Only admins can capture payments.');
    return this.settle(caller, orderId, idempotencyKey, 'CAPTURED', ['AUTHORIZED']);
  }

  /** Releases the authorization or refunds the charge (cancellation). Owner or staff. */
  refund(caller: Identity, orderId: string, idempotencyKey: string): Promise<PaymentItem> {
    return this.settle(caller, orderId, idempotencyKey, 'REFUNDED', ['AUTHORIZED', 'CAPTURED']);
  }

  private async settle(
    caller: Identity,
    orderId: string,
    idempotencyKey: string,
    to: 'CAPTURED' | 'REFUNDED',
    from: PaymentStatus[],
  ): Promise<PaymentItem> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const payment = await this.store.get(orderId);
      if (!payment) throw new PaymentNotFoundError(`No payment for order ${orderId}`);
      this.readable(caller, payment);
      if (payment.status === to) return payment;
      if (!from.includes(payment.status) || !payment.providerRef) {
        throw new PaymentStateError(`A ${payment.status} payment cannot become ${to}`);
      }
      const request = {
        providerRef: payment.providerRef,
        amount: payment.amount,
        currency: payment.currency,
        idempotencyKey,
      };
      await (to === 'CAPTURED' ? this.provider.capture(request) : this.provider.refund(request));
      const now = new Date().toISOString();
      try {
        await this.store.transition(
          payment,
          payment.status,
          this.entry(payment, to, idempotencyKey, caller, now),
        );
        return { ...payment, status: to, updatedAt: now };
      } catch (error) {
        // Someone else moved it meanwhile: read again and decide from the new state.
        if (!(error instanceof PaymentWriteConflict)) throw error;
      }
    }
    throw new PaymentStateError(`Payment of order ${orderId} kept changing; try again`);
  }

  /** The payment if the caller may see it: its owner or an admin. */
  readable(caller: Identity, payment: PaymentItem): PaymentItem {
    if (caller.role !== 'ADMIN' && caller.userId !== payment.userId) {
      throw new PaymentAccessError("Only the order's owner or an admin can see or change its payment.");
    }
    return payment;
  }

  private entry(
    payment: PaymentItem,
    entry: PaymentStatus,
    idempotencyKey: string,
    caller: Identity,
    at: string,
  ): LedgerEntry {
    return {
      paymentId: payment.id,
      entry,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
      providerRef: payment.providerRef,
      declineCode: payment.declineCode,
      idempotencyKey,
      actor: caller.userId,
      at,
    };
  }
}
