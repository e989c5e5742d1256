import { randomUUID } from 'node:crypto';
import { appError, ErrorCode, forbidden, notFound, parseInput, type Identity, type Logger } from '@cloudmart/runtime';
import { backoff } from '../data/dynamo';
import {
  DuplicateCheckoutError,
  StaleOrderError,
  StockShortageError,
  WriteConflictError,
} from '../data/errors';
import type { OrderItem, OrderLine, ProductPrice } from '../data/items';
import type { CartStore } from '../data/cart-store';
import type { OrderStore } from '../data/order-store';
import type { ProductReader } from '../data/product-reader';
import type { PaymentResult, PaymentsPort } from '../services/payments';
import { PaymentsCallError } from '../services/payments';
import { pageSchema, type CheckoutInput } from '../validation';
import type { Carts } from './cart';
import { decodeCursor, encodeCursor } from './cursor';
import { outboxEvent, type OutboxEvent } from './events';
import type { OrderStatus } from '../contract';
import { assertTransition, holdsStock, ILLEGAL_TRANSITION } from './order-status';
import { priceOrder, type PricingRule } from './pricing';

/** Enough for 50 concurrent checkouts of one product on DynamoDB Local; real DynamoDB conflicts far less. */
const MAX_PLACE_ATTEMPTS = 30;

export interface OrdersDeps {
  orders: OrderStore;
  carts: CartStore;
  cartService: Carts;
  products: ProductReader;
  payments: PaymentsPort;
  pricing: PricingRule;
}

/** Provider idempotency keys: one per order and operation, so every retry is the same provider call. */
const paymentKey = (operation: 'authorize' | 'capture' | 'refund' | 'void', orderId: string) =>
  `${operation}:${orderId}`;

/**
 * The decline code of PaymentDeclined when the payment sweeper gave up: payments gave no answer
 * within PAYMENT_SWEEP_GIVE_UP_MS (no provider decline stands behind it).
 */
export const PAYMENT_UNAVAILABLE = 'payment_unavailable';

export const orderNumber = (id: string) => `CM-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`;

/** The one access rule for orders: a user's own, or any for an admin. Guests are UNAUTHENTICATED earlier. */
const mayAccess = (caller: Identity, ownerId: string) => caller.role === 'ADMIN' || caller.userId === ownerId;

/** Where an order is read from: the request's DataLoader (queries), or the store (mutations, fresh). */
export interface OrderSource {
  load(orderId: string): Promise<OrderItem | null>;
}

/** Checkout, and every later change of an order's status with its side effects. */
export class Orders {
  /** Mutations read here, not through a DataLoader: a second mutation in one request must see the first's write. */
  private readonly store: OrderSource = { load: (orderId) => this.deps.orders.get(orderId) };

  constructor(
    private readonly deps: OrdersDeps,
    private readonly log: Logger,
  ) {}

  /**
   * The one read of an order by id (Query.order, Order entity references, the mutations): null
   * when missing, FORBIDDEN unless the caller may see it.
   */
  async find(caller: Identity, orderId: string, source: OrderSource = this.store): Promise<OrderItem | null> {
    const order = await source.load(orderId);
    if (order && !mayAccess(caller, order.userId)) {
      throw forbidden("Only the order's owner or an admin can see or change this order.");
    }
    return order;
  }

  /** As find, NOT_FOUND when missing. */
  async get(caller: Identity, orderId: string, source?: OrderSource): Promise<OrderItem> {
    const order = await this.find(caller, orderId, source);
    if (!order) throw notFound('Order', orderId);
    return order;
  }

  /** A page of a user's orders, newest first (User.orders): for the user themself or an admin. */
  async listOfUser(caller: Identity, userId: string, page: { first?: number | null; after?: string | null }) {
    if (!mayAccess(caller, userId)) throw forbidden('Only the user themself or an admin can list their orders.');
    const { first } = parseInput(pageSchema, { first: page.first ?? 10 });
    const after = page.after ? decodeCursor(page.after, userId) : undefined;
    const { orders, hasNextPage } = await this.deps.orders.listByUser(userId, first, after);
    const edges = orders.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /**
   * The order with this number if the caller may see it (owner or admin), else null: someone
   * else's order looks exactly like a missing one, so a number reveals nothing about other users.
   */
  async getByNumber(caller: Identity, number: string): Promise<OrderItem | null> {
    const orders = await this.deps.orders.getByNumber(number);
    return orders.find((order) => mayAccess(caller, order.userId)) ?? null;
  }

  /**
   * (1) a key already used returns its order (finishing its payment if that was interrupted);
   * (2) one transaction reserves stock, stores the order, claims the key, writes OrderPlaced and
   * empties the cart; (3) the payment is authorized; (4) one transaction records the outcome.
   */
  async checkout(caller: Identity, authorization: string, input: CheckoutInput): Promise<OrderItem> {
    const { orders } = this.deps;
    for (let attempt = 0; attempt < MAX_PLACE_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(Math.min(attempt, 6));
      const existing = await this.byIdempotencyKey(caller, input.idempotencyKey);
      if (existing) return this.settlePayment(existing, authorization, input.paymentToken);

      const cart = await this.deps.carts.get(caller.userId);
      if (!cart || cart.lines.length === 0) {
        // A duplicate of this request may have emptied the cart between the two reads.
        const duplicate = await this.byIdempotencyKey(caller, input.idempotencyKey);
        if (duplicate) return this.settlePayment(duplicate, authorization, input.paymentToken);
        throw appError(ErrorCode.BAD_USER_INPUT, 'The cart is empty: add products before checking out.', {
          reason: 'EMPTY_CART',
        });
      }
      const products = await this.deps.products.getMany(
        cart.lines.map((line) => line.productId),
        { consistent: true },
      );
      const order = this.newOrder(caller.userId, cart.lines, products, input.shippingAddressId ?? undefined);
      const placed = outboxEvent('OrderPlaced', order, order.createdAt, {
        number: order.number,
        currency: order.currency,
        items: order.lines,
        subtotal: order.subtotal,
        tax: order.tax,
        shipping: order.shipping,
        total: order.total,
      });
      try {
        await orders.place(order, input.idempotencyKey, cart.version, placed, input.paymentToken);
        this.log.info({ orderId: order.id, total: order.total }, 'order placed');
        return await this.settlePayment(order, authorization, input.paymentToken);
      } catch (error) {
        if (error instanceof StockShortageError) {
          // The units may have gone to a duplicate of this very request: that one's order wins.
          const duplicate = await this.byIdempotencyKey(caller, input.idempotencyKey);
          if (duplicate) return this.settlePayment(duplicate, authorization, input.paymentToken);
          const product = products.get(error.productId);
          throw appError(
            ErrorCode.OUT_OF_STOCK,
            `Not enough stock for ${product ? JSON.stringify(product.name) : `product ${error.productId}`}: ` +
              `${Math.max(0, product?.stock ?? 0)} left at last look. Nothing was ordered or charged.`,
            { productId: error.productId, productName: product?.name ?? null },
          );
        }
        // A duplicate won the key, or the cart changed, or a conflicting transaction: start over.
        if (error instanceof DuplicateCheckoutError || error instanceof WriteConflictError) continue;
        throw error;
      }
    }
    throw appError(
      ErrorCode.CONFLICT,
      'The checkout kept conflicting with other writes; try again with the same idempotencyKey.',
    );
  }

  /** Cancels before shipping (owner or admin): stock goes back, the payment is refunded. */
  async cancel(caller: Identity, authorization: string, orderId: string): Promise<OrderItem> {
    let order = await this.get(caller, orderId);
    if (order.status !== 'CANCELLED') {
      assertTransition(order.status, 'CANCELLED');
      const at = new Date().toISOString();
      order = await this.transition(
        order,
        'CANCELLED',
        [outboxEvent('OrderCancelled', order, at, { from: order.status })],
        {
          releaseStock: holdsStock(order.status),
        },
      );
    }
    // Also reached again by a repeated cancel whose refund failed the first time.
    return this.refund(order, authorization);
  }

  /** Admin status changes, each with its side effect: FULFILLING captures, CANCELLED releases and refunds. */
  async updateStatus(
    caller: Identity,
    authorization: string,
    orderId: string,
    status: OrderStatus,
  ): Promise<OrderItem> {
    const order = await this.get(caller, orderId);
    if (status === 'PENDING_PAYMENT' || status === 'PAID' || status === 'PAYMENT_FAILED') {
      throw appError(ErrorCode.BAD_USER_INPUT, `${status} is set by checkout only.`, {
        reason: ILLEGAL_TRANSITION,
        from: order.status,
        to: status,
      });
    }
    if (status === 'CANCELLED') return this.cancel(caller, authorization, orderId);
    assertTransition(order.status, status);
    if (status === 'REFUNDED') return this.refund(order, authorization);
    if (status === 'FULFILLING') {
      // Charge before the goods move; a failed capture leaves the order PAID.
      await this.callPayments(() =>
        this.deps.payments.capture(authorization, order.id, paymentKey('capture', order.id)),
      );
    }
    const at = new Date().toISOString();
    return this.transition(order, status, [
      outboxEvent('OrderStatusChanged', order, at, { from: order.status, to: status }),
    ]);
  }

  private async byIdempotencyKey(caller: Identity, idempotencyKey: string): Promise<OrderItem | null> {
    const orderId = await this.deps.orders.orderIdForIdempotencyKey(caller.userId, idempotencyKey);
    if (!orderId) return null;
    // Written in the same transaction as the record, so it is there.
    const order = await this.deps.orders.get(orderId);
    if (!order) throw new Error(`idempotency record names missing order ${orderId}`);
    return order;
  }

  /**
   * The payment sweeper's retry of step 3 for a PENDING_PAYMENT order no checkout finished, then
   * step 4 exactly as checkout records it. The orders service acts on its own here (the shopper's
   * token expired long ago), with the same request and idempotency key checkout used: a payment
   * that reached payments (or the provider) is found, not taken twice. Payments failures are
   * thrown as they are (PaymentsCallError): the sweeper decides whether to wait or give up.
   */
  async retryAuthorization(order: OrderItem, paymentToken: string): Promise<OrderItem> {
    if (order.status !== 'PENDING_PAYMENT') return order;
    const payment = await this.deps.payments.authorizeAsService({
      ...this.authorizeRequest(order, paymentToken),
      userId: order.userId,
    });
    return this.recordAuthorization(order, payment);
  }

  /**
   * The payment sweeper gives up on an order whose payment could not be settled within
   * PAYMENT_SWEEP_GIVE_UP_MS: PAYMENT_FAILED with its stock released and PaymentDeclined
   * (PAYMENT_UNAVAILABLE), as a decline is recorded. Whether payments took an authorization
   * meanwhile is unknown, so the order goes on the sweeper's list as VOID (voidAbandonedPayment).
   * If a checkout or another sweeper settled it first, that outcome stands.
   */
  async abandonPayment(order: OrderItem): Promise<OrderItem> {
    if (order.status !== 'PENDING_PAYMENT') return order;
    const at = new Date().toISOString();
    return this.recordFailure(
      order,
      outboxEvent('PaymentDeclined', order, at, { paymentId: null, declineCode: PAYMENT_UNAVAILABLE }),
      { voidPayment: true },
    );
  }

  /**
   * For an order the sweeper gave up on: payments releases any authorization of it, or records
   * that none may be taken (a late one from an interrupted call gives its hold back); then the
   * order leaves the sweeper's list. Throws PaymentsCallError while payments cannot answer.
   */
  async voidAbandonedPayment(order: OrderItem): Promise<void> {
    await this.deps.payments.voidAsService({
      orderId: order.id,
      userId: order.userId,
      amount: order.total,
      currency: order.currency,
      idempotencyKey: paymentKey('void', order.id),
    });
    await this.deps.orders.paymentVoided(order.id);
  }

  /** Steps 3 and 4. Safe to run again (or concurrently) for the same order: same provider key. */
  private async settlePayment(
    order: OrderItem,
    authorization: string,
    paymentToken: string,
  ): Promise<OrderItem> {
    if (order.status !== 'PENDING_PAYMENT') return order;
    const payment = await this.callPayments(() =>
      this.deps.payments.authorize(authorization, this.authorizeRequest(order, paymentToken)),
    );
    return this.recordAuthorization(order, payment);
  }

  private authorizeRequest(order: OrderItem, paymentToken: string) {
    return {
      orderId: order.id,
      amount: order.total,
      currency: order.currency,
      paymentToken,
      idempotencyKey: paymentKey('authorize', order.id),
    };
  }

  /**
   * Step 4, for checkout and the sweeper alike: PAID + OrderPaid, or PAYMENT_FAILED + stock back +
   * PaymentDeclined. The transition is conditioned on PENDING_PAYMENT, so of several settling one
   * order at once (a retried checkout, sweepers on other replicas) exactly one records it.
   */
  private async recordAuthorization(order: OrderItem, payment: PaymentResult): Promise<OrderItem> {
    const at = new Date().toISOString();
    if (payment.status === 'DECLINED') {
      return this.recordFailure(
        order,
        outboxEvent('PaymentDeclined', order, at, {
          paymentId: payment.id,
          declineCode: payment.declineCode,
        }),
      );
    }
    try {
      return await this.deps.orders.transition(order, 'PAID', [
        outboxEvent('OrderPaid', order, at, {
          paymentId: payment.id,
          amount: payment.amount,
          currency: payment.currency,
        }),
      ]);
    } catch (error) {
      // A concurrent duplicate recorded the outcome first.
      if (error instanceof StaleOrderError) return (await this.deps.orders.get(order.id)) ?? order;
      throw error;
    }
  }

  /** PAYMENT_FAILED with the stock released and the event, then the lines back in the cart. */
  private async recordFailure(
    order: OrderItem,
    event: OutboxEvent,
    { voidPayment = false }: { voidPayment?: boolean } = {},
  ): Promise<OrderItem> {
    let failed: OrderItem;
    try {
      failed = await this.deps.orders.transition(order, 'PAYMENT_FAILED', [event], {
        releaseStock: true,
        voidPayment,
      });
    } catch (error) {
      // A concurrent duplicate recorded the outcome first.
      if (error instanceof StaleOrderError) return (await this.deps.orders.get(order.id)) ?? order;
      throw error;
    }
    // Not part of the transaction: a convenience so the shopper can retry with another card.
    await this.deps.cartService
      .restore(
        order.userId,
        order.lines.map(({ productId, quantity }) => ({ productId, quantity })),
      )
      .catch((error: unknown) =>
        this.log.warn({ err: error, orderId: order.id }, 'could not restore the cart'),
      );
    return failed;
  }

  private async refund(order: OrderItem, authorization: string): Promise<OrderItem> {
    if (order.status !== 'CANCELLED' && order.status !== 'DELIVERED') return order;
    let payment: PaymentResult;
    try {
      payment = await this.deps.payments.refund(authorization, order.id, paymentKey('refund', order.id));
    } catch (error) {
      // No payment to give back (cancelled before one was taken): the order simply stays CANCELLED.
      if (error instanceof PaymentsCallError && error.status === 404) return order;
      payment = await this.callPayments(() => Promise.reject(error));
    }
    const at = new Date().toISOString();
    return this.transition(order, 'REFUNDED', [
      outboxEvent('OrderRefunded', order, at, {
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
      }),
    ]);
  }

  private async transition(
    order: OrderItem,
    to: OrderStatus,
    events: OutboxEvent[],
    options: { releaseStock?: boolean } = {},
  ) {
    try {
      return await this.deps.orders.transition(order, to, events, options);
    } catch (error) {
      if (error instanceof StaleOrderError) {
        throw appError(ErrorCode.CONFLICT, 'The order changed meanwhile; read it again and retry.', {
          orderId: order.id,
        });
      }
      throw error;
    }
  }

  /** Payments failures as client errors: the order stays as it was and the call can be retried. */
  private async callPayments(call: () => Promise<PaymentResult>): Promise<PaymentResult> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PaymentsCallError)) throw error;
      this.log.error({ err: error }, 'payments call failed');
      if (error.status === 403) throw forbidden('The payment service refused this change for you.');
      throw appError(
        ErrorCode.PAYMENT_FAILED,
        'The payment service could not complete the request; nothing was lost — retry (checkout with the same idempotencyKey).',
        { retryable: true },
      );
    }
  }

  private newOrder(
    userId: string,
    cartLines: readonly { productId: string; quantity: number }[],
    products: Map<string, ProductPrice>,
    shippingAddressId: string | undefined,
  ): OrderItem {
    const lines: OrderLine[] = cartLines.map((line) => {
      const product = products.get(line.productId);
      if (!product) throw notFound('Product', line.productId);
      return { productId: line.productId, quantity: line.quantity, unitPrice: product.priceAmount };
    });
    const currencies = new Set(lines.map((line) => products.get(line.productId)!.currency));
    if (currencies.size !== 1)
      throw appError(ErrorCode.BAD_USER_INPUT, 'All products of an order must be priced in one currency.');
    const totals = priceOrder(lines, this.deps.pricing);
    const id = randomUUID();
    const now = new Date().toISOString();
    return {
      id,
      number: orderNumber(id),
      userId,
      status: 'PENDING_PAYMENT',
      currency: [...currencies][0]!,
      lines,
      ...totals,
      shippingAddressId,
      events: [{ status: 'PENDING_PAYMENT', at: now }],
      createdAt: now,
      updatedAt: now,
    };
  }
}
