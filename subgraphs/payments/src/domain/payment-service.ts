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

/**
 * Who acts on a payment. A user, through the gateway's internal token that orders forwards (the
 * order's owner, or an admin); or a service on its own, for the order's owner it names (the orders
 * service's payment sweeper, finishing a checkout no caller is waiting for), trusted on the
 * internal secret alone and therefore allowed only authorize and void.
 */
export type PaymentActor =
  { kind: 'user'; identity: Identity } | { kind: 'service'; service: string; ownerId: string };

export const userActor = (identity: Identity): PaymentActor => ({ kind: 'user', identity });

export interface AuthorizeCommand {
  orderId: string;
  amount: number;
  currency: string;
  paymentToken: string;
  /** The provider idempotency key; the orders subgraph derives it from the order id. */
  idempotencyKey: string;
}

export interface VoidCommand {
  orderId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/**
 * The decline code of a payment recorded by `void` when none existed: the orders service gave up
 * on the order's authorization, and any that arrives later must take nothing.
 */
export const ABANDONED = 'authorization_abandoned';

const SETTLE_ATTEMPTS = 3;

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
  async authorize(actor: PaymentActor, command: AuthorizeCommand): Promise<PaymentItem> {
    const existing = await this.store.get(command.orderId);
    if (existing) return this.mayAct(actor, existing);
    const result = await this.provider.authorize(command);
    const now = new Date().toISOString();
    const status: PaymentStatus = result.approved ? 'AUTHORIZED' : 'DECLINED';
    const payment: PaymentItem = {
      orderId: command.orderId,
      id: `pay_${randomUUID()}`,
      userId: ownerOf(actor),
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
      await this.store.create(payment, this.entry(payment, status, command.idempotencyKey, actor, now));
      return payment;
    } catch (error) {
      if (!(error instanceof PaymentWriteConflict)) throw error;
      // A concurrent duplicate recorded it first (with the same provider result, same key) — or
      // the order was voided meanwhile, and the hold just taken must be given back.
      const winner = await this.store.get(command.orderId);
      if (!winner) throw error;
      if (winner.declineCode === ABANDONED && payment.providerRef) {
        await this.provider.refund({
          providerRef: payment.providerRef,
          amount: payment.amount,
          currency: payment.currency,
          idempotencyKey: `release:${command.idempotencyKey}`,
        });
      }
      return this.mayAct(actor, winner);
    }
  }

  /** Charges an authorized payment (fulfilment). Staff only. */
  capture(caller: Identity, orderId: string, idempotencyKey: string): Promise<PaymentItem> {
    if (caller.role !== 'ADMIN') throw new PaymentAccessError('Only admins can capture payments.');
    return this.settle(userActor(caller), orderId, idempotencyKey, 'CAPTURED', ['AUTHORIZED']);
  }

  /** Releases the authorization or refunds the charge (cancellation). Owner or staff. */
  refund(caller: Identity, orderId: string, idempotencyKey: string): Promise<PaymentItem> {
    return this.settle(userActor(caller), orderId, idempotencyKey, 'REFUNDED', ['AUTHORIZED', 'CAPTURED']);
  }

  /**
   * Makes sure the order holds nothing, now or later (the orders service gave up on its payment
   * and released its stock): an authorization is released (REFUNDED); with no payment yet, one is
   * recorded as DECLINED with ABANDONED, which a late authorize of the same order then finds (and
   * gives back what it took). A declined or refunded payment is left as it is.
   */
  async void(actor: PaymentActor, command: VoidCommand): Promise<PaymentItem> {
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const payment = await this.store.get(command.orderId);
      if (payment) {
        this.mayAct(actor, payment);
        if (payment.status === 'DECLINED' || payment.status === 'REFUNDED') return payment;
        if (payment.status === 'CAPTURED')
          throw new PaymentStateError('A captured payment is not voided: refund it instead');
        return this.settle(actor, command.orderId, command.idempotencyKey, 'REFUNDED', ['AUTHORIZED']);
      }
      const now = new Date().toISOString();
      const abandoned: PaymentItem = {
        orderId: command.orderId,
        id: `pay_${randomUUID()}`,
        userId: ownerOf(actor),
        status: 'DECLINED',
        amount: command.amount,
        currency: command.currency,
        brand: 'unknown',
        last4: '0000',
        declineCode: ABANDONED,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.store.create(
          abandoned,
          this.entry(abandoned, 'DECLINED', command.idempotencyKey, actor, now),
        );
        return abandoned;
      } catch (error) {
        // An authorization was recorded meanwhile: read it and release it.
        if (!(error instanceof PaymentWriteConflict)) throw error;
      }
    }
    throw new PaymentStateError(`Payment of order ${command.orderId} kept changing; try again`);
  }

  private async settle(
    actor: PaymentActor,
    orderId: string,
    idempotencyKey: string,
    to: 'CAPTURED' | 'REFUNDED',
    from: PaymentStatus[],
  ): Promise<PaymentItem> {
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const payment = await this.store.get(orderId);
      if (!payment) throw new PaymentNotFoundError(`No payment for order ${orderId}`);
      this.mayAct(actor, payment);
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
          this.entry(payment, to, idempotencyKey, actor, now),
        );
        return { ...payment, status: to, updatedAt: now };
      } catch (error) {
        // Someone else moved it meanwhile: read again and decide from the new state.
        if (!(error instanceof PaymentWriteConflict)) throw error;
      }
    }
    throw new PaymentStateError(`Payment of order ${orderId} kept changing; try again`);
  }

  /** The payment if the actor may see and change it: its owner or an admin; a service, for the owner it named. */
  private mayAct(actor: PaymentActor, payment: PaymentItem): PaymentItem {
    const allowed =
      actor.kind === 'service'
        ? actor.ownerId === payment.userId
        : actor.identity.role === 'ADMIN' || actor.identity.userId === payment.userId;
    if (!allowed) {
      throw new PaymentAccessError("Only the order's owner or an admin can see or change its payment.");
    }
    return payment;
  }

  private entry(
    payment: PaymentItem,
    entry: PaymentStatus,
    idempotencyKey: string,
    actor: PaymentActor,
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
      actor: actor.kind === 'user' ? actor.identity.userId : `service:${actor.service}`,
      at,
    };
  }
}

/** Whose payment it is: the signed-in caller's, or the owner a service named. */
function ownerOf(actor: PaymentActor): string {
  return actor.kind === 'user' ? actor.identity.userId : actor.ownerId;
}
