// Finishes the payments no checkout finished. Checkout places an order (stock reserved) and then
// calls payments; if payments is unreachable, or this process dies between the two, the order sits
// in PENDING_PAYMENT holding its stock, and only a retry of the same checkout would move it. The
// sweeper moves it instead, on every replica:
//
// - Orders PENDING_PAYMENT for longer than PAYMENT_SWEEP_GRACE_MS (any checkout still running has
//   given up on payments by then) are read from the sparse byPaymentAction index, shard by shard,
//   oldest first within each, never by scanning the table.
// - Each one's authorization is retried as checkout made it: same amount, same payment token,
//   same idempotency key `authorize:<orderId>`. Payments returns the payment it already recorded
//   for the order, or asks the provider with that key, which answers a repeated key with its first
//   result: a payment that got through is found, never taken twice. The outcome is recorded by the
//   domain's own step 4 (Orders.retryAuthorization): PAID + OrderPaid, or PAYMENT_FAILED + stock
//   back + PaymentDeclined, through the outbox.
// - The token is kept on the pending order for this (removed in the transaction that settles it):
//   without it, an authorization that never reached payments — the commonest case, payments down —
//   could not be retried at all, only failed. Asking payments for "the outcome under the key"
//   instead would answer nothing for exactly those orders.
// - The sweeper acts as the orders service, not as the shopper (whose gateway token expired within
//   two minutes): payments accepts it on the internal secret alone, for authorize and void only.
// - Past PAYMENT_SWEEP_GIVE_UP_MS without an answer, the order is given up: PAYMENT_FAILED, stock
//   released, PaymentDeclined (payment_unavailable) — and marked VOID, since payments may yet hold
//   an authorization from a call whose answer was lost. VOID orders are swept too: payments
//   releases such an authorization, or records that none may be taken, and the mark is removed.
//
// Several replicas sweep at once without settling an order twice: every outcome is a transaction
// conditioned on the order still being PENDING_PAYMENT (StaleOrderError for the loser, whose
// events are never written), payments records one payment per order (conditional create), and the
// provider call is the same idempotent one whoever makes it.
import type { Logger } from '@cloudmart/runtime';
import type { PaymentAction, SweptOrder } from '../data/items';
import type { OrderStore } from '../data/order-store';
import type { Orders } from '../domain/orders';
import { PaymentsCallError } from '../services/payments';

export interface PaymentSweeperOptions {
  /** An order younger than this may still be in its checkout: left alone. */
  graceMs: number;
  /** How long after it was placed an order's payment is given up on. */
  giveUpMs: number;
  /** Pause between sweeps. */
  intervalMs: number;
  /** Orders read per page of the index. */
  pageSize?: number;
  /** Orders handled at once (each may wait PAYMENTS_TIMEOUT_MS on a hanging payments service). */
  concurrency?: number;
  /** Told after a sweep that changed orders (and so wrote outbox events). */
  onSettled?: () => void;
}

/** What one sweep did. */
export interface SweepReport {
  paid: number;
  failed: number;
  gaveUp: number;
  voided: number;
  /** Orders still waiting for payments (to answer, or for their give-up time). */
  waiting: number;
}

export class PaymentSweeper {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly orders: Orders,
    private readonly store: OrderStore,
    private readonly log: Logger,
    private readonly options: PaymentSweeperOptions,
  ) {}

  /** One pass over every order due, oldest first. `now` is for tests of the give-up time. */
  async sweepOnce(now = Date.now()): Promise<SweepReport> {
    const report: SweepReport = { paid: 0, failed: 0, gaveUp: 0, voided: 0, waiting: 0 };
    const createdBefore = new Date(now - this.options.graceMs).toISOString();
    await this.forEachAwaiting('AUTHORIZE', createdBefore, (order) => this.settle(order, now, report));
    await this.forEachAwaiting('VOID', undefined, (order) => this.void(order, report));
    if (report.paid + report.failed + report.gaveUp > 0) this.options.onSettled?.();
    if (report.paid + report.failed + report.gaveUp + report.voided + report.waiting > 0)
      this.log.info({ ...report }, 'payment sweep');
    return report;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the sweep in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /**
   * Retries the authorization; while payments gives no answer, waits, and past the give-up time
   * gives the order up. Any other failure (of our own store, say) is thrown: the order stays as it
   * is for the next sweep, since payments may well have answered.
   */
  private async settle(order: SweptOrder, now: number, report: SweepReport): Promise<void> {
    let unanswered: unknown;
    if (!order.paymentToken) {
      unanswered = new Error('the order holds no payment token to retry with');
    } else {
      try {
        const settled = await this.orders.retryAuthorization(order, order.paymentToken);
        if (settled.status === 'PAID') report.paid += 1;
        else if (settled.status === 'PAYMENT_FAILED') report.failed += 1;
        this.log.info({ orderId: order.id, status: settled.status }, 'payment sweeper settled an order');
        return;
      } catch (error) {
        if (!(error instanceof PaymentsCallError)) throw error;
        unanswered = error;
      }
    }
    const age = now - Date.parse(order.createdAt);
    if (age < this.options.giveUpMs) {
      report.waiting += 1;
      this.log.warn(
        { err: unanswered, orderId: order.id, ageMs: age },
        'payment sweeper: no answer from payments yet',
      );
      return;
    }
    const failed = await this.orders.abandonPayment(order);
    report.gaveUp += 1;
    this.log.warn(
      { err: unanswered, orderId: order.id, ageMs: age, status: failed.status },
      'payment sweeper gave up on an order: stock released',
    );
  }

  private async void(order: SweptOrder, report: SweepReport): Promise<void> {
    try {
      await this.orders.voidAbandonedPayment(order);
      report.voided += 1;
    } catch (error) {
      report.waiting += 1;
      this.log.warn(
        { err: error, orderId: order.id },
        'payment sweeper: could not yet void an abandoned payment',
      );
    }
  }

  /** Runs `handle` on every order awaiting `action`, a few at a time; one order's failure stops nothing. */
  private async forEachAwaiting(
    action: PaymentAction,
    createdBefore: string | undefined,
    handle: (order: SweptOrder) => Promise<void>,
  ): Promise<void> {
    // Every shard of the index in turn (see tables.ts: one partition would cap checkouts at
    // ~500/s), each oldest first.
    for (const partition of this.store.paymentActionPartitions(action)) {
      await this.forEachAwaitingIn(partition, action, createdBefore, handle);
    }
  }

  private async forEachAwaitingIn(
    partition: string,
    action: PaymentAction,
    createdBefore: string | undefined,
    handle: (order: SweptOrder) => Promise<void>,
  ): Promise<void> {
    const concurrency = this.options.concurrency ?? 8;
    let after: Record<string, unknown> | undefined;
    do {
      const page = await this.store.awaitingPaymentAction(action, {
        partition,
        createdBefore,
        limit: this.options.pageSize ?? 100,
        after,
      });
      for (let start = 0; start < page.orders.length; start += concurrency) {
        await Promise.all(
          page.orders
            .slice(start, start + concurrency)
            .map((order) =>
              handle(order).catch((error: unknown) =>
                this.log.error(
                  { err: error, orderId: order.id, action },
                  'payment sweeper failed on an order',
                ),
              ),
            ),
        );
      }
      after = page.next;
    } while (after);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sweepOnce();
      } catch (error) {
        this.log.warn({ err: error }, 'payment sweep failed; trying again at the next interval');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
