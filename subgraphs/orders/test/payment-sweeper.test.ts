// The payment sweeper on the real supergraph (DynamoDB Local, the payments subgraph): orders left
// in PENDING_PAYMENT by a checkout whose payments call failed are finished by the sweeper — the
// same authorization, never a second one — or given up after PAYMENT_SWEEP_GIVE_UP_MS, with any
// authorization that shows up later released. Sweeps are driven by hand with an explicit `now`,
// so nothing here waits for a timer.
import { randomUUID } from 'node:crypto';
import {
  createLogger,
  DEVELOPMENT_INTERNAL_API_SECRET,
  dynamoConfigSchema,
  loadConfig,
  type Identity,
} from '@cloudmart/runtime';
import {
  addToCart,
  asGateway,
  createProduct,
  mintCaller,
  scanTable,
  startTestSupergraph,
  stockOf,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { openOrdersData, type OrdersData } from '../src/data';
import { sweptOrderSchema } from '../src/data/items';
import { Carts } from '../src/domain/cart';
import { Orders, PAYMENT_UNAVAILABLE } from '../src/domain/orders';
import { HttpPaymentsClient, PaymentsCallError, type PaymentsPort } from '../src/services/payments';
import { PaymentSweeper } from '../src/workers/payment-sweeper';

const GRACE_MS = 30_000;
const GIVE_UP_MS = 300_000;
const log = createLogger('sweeper-test', 'silent');

/** A payments port that fails the calls `down` names, as an unreachable service does. */
class SwitchablePayments implements PaymentsPort {
  /** Fails every call. */
  down = false;
  /** Lets the authorization reach payments, then loses the answer (a timeout after the fact). */
  loseAuthorizeAnswer = false;
  constructor(private readonly real: PaymentsPort) {}
  private gate<T>(call: () => Promise<T>): Promise<T> {
    return this.down ? Promise.reject(new PaymentsCallError('connection refused', 0)) : call();
  }
  authorize: PaymentsPort['authorize'] = async (authorization, request) => {
    if (!this.loseAuthorizeAnswer) return this.gate(() => this.real.authorize(authorization, request));
    await this.real.authorize(authorization, request);
    throw new PaymentsCallError('payments authorize timed out', 0);
  };
  capture: PaymentsPort['capture'] = (...args) => this.gate(() => this.real.capture(...args));
  refund: PaymentsPort['refund'] = (...args) => this.gate(() => this.real.refund(...args));
  authorizeAsService: PaymentsPort['authorizeAsService'] = (request) =>
    this.gate(() => this.real.authorizeAsService(request));
  voidAsService: PaymentsPort['voidAsService'] = (request) =>
    this.gate(() => this.real.voidAsService(request));
}

describe('the payment sweeper', () => {
  let graph: TestSupergraph;
  let data: OrdersData;
  let real: HttpPaymentsClient;
  let paymentsBase: string;

  beforeAll(async () => {
    // The service's own sweeper is kept away from these orders: the tests sweep them by hand.
    graph = await startTestSupergraph({
      env: { PAYMENT_SWEEP_GRACE_MS: '3600000', PAYMENT_SWEEP_GIVE_UP_MS: '7200000' },
      only: ['users', 'products', 'payments', 'orders'],
    });
    data = await openOrdersData(loadConfig(dynamoConfigSchema, graph.env));
    paymentsBase = graph.subgraphUrls.payments!.replace(/\/graphql$/, '');
    // Outages here are SwitchablePayments'; the real client's timeout only bounds a hung call. Not the
    // service's 5 s, which payments can exceed on a loaded machine (four jest workers on two cores):
    // the sweeper then rightly counts the order as still waiting, and the test fails.
    real = new HttpPaymentsClient(paymentsBase, 60_000, DEVELOPMENT_INTERNAL_API_SECRET);
  });
  afterAll(async () => {
    data?.close();
    await graph?.stop();
  });

  const ordersWith = (payments: PaymentsPort) =>
    new Orders(
      {
        orders: data.orders,
        carts: data.carts,
        cartService: new Carts(data.carts, data.products),
        products: data.products,
        payments,
        pricing: { taxRateBasisPoints: 800, shippingFee: 599, freeShippingMin: 5_000 },
      },
      log,
    );
  const sweeperWith = (payments: PaymentsPort) =>
    new PaymentSweeper(ordersWith(payments), data.orders, log, {
      graceMs: GRACE_MS,
      giveUpMs: GIVE_UP_MS,
      intervalMs: 60_000,
    });

  /** A checkout whose authorization failed as `payments` fails it: the order stays PENDING_PAYMENT. */
  async function pendingOrder(payments: PaymentsPort, { paymentToken = 'tok_visa', quantity = 2 } = {}) {
    const admin = await mintCaller(graph, 'ADMIN');
    const productId = await createProduct(graph, admin, { stock: 10 });
    const shopper = await mintCaller(graph);
    await addToCart(graph, shopper, productId, quantity);
    const caller: Identity = { userId: shopper.userId, role: 'CUSTOMER' };
    const { authorization } = await asGateway(graph.env, caller);
    await expect(
      ordersWith(payments).checkout(caller, authorization, { idempotencyKey: randomUUID(), paymentToken }),
    ).rejects.toMatchObject({ extensions: { code: 'PAYMENT_FAILED', retryable: true } });
    const [order] = (await scanTable(graph, 'orders')).filter((item) => item.userId === shopper.userId);
    expect(order).toMatchObject({
      status: 'PENDING_PAYMENT',
      // The sweeper's index is sharded by order id (tables.ts).
      paymentAction: expect.stringMatching(/^AUTHORIZE#\d\d$/),
      paymentToken,
    });
    expect(await stockOf(graph, productId)).toBe(10 - quantity);
    return { order: sweptOrderSchema.parse(order), productId, shopper, authorization };
  }
  /** A moment at which the order is `ageMs` old. */
  const aged = (order: { createdAt: string }, ageMs: number) => Date.parse(order.createdAt) + ageMs;
  const paymentsOf = async (orderId: string) =>
    (await scanTable(graph, 'payments')).filter((payment) => payment.orderId === orderId);
  const eventsOf = async (orderId: string) =>
    (await scanTable(graph, 'orderOutbox'))
      .filter((event) => event.orderId === orderId)
      .sort((a, b) => String(a.sequence).localeCompare(String(b.sequence)));
  const stored = async (orderId: string) =>
    (await scanTable(graph, 'orders')).find((item) => item.id === orderId)!;

  it('leaves orders younger than the grace alone, then authorizes them as checkout would have', async () => {
    const payments = new SwitchablePayments(real);
    payments.down = true;
    const { order, productId } = await pendingOrder(payments);
    payments.down = false;
    const sweeper = sweeperWith(payments);

    expect(await sweeper.sweepOnce(aged(order, GRACE_MS - 1_000))).toMatchObject({ paid: 0 });
    expect((await stored(order.id)).status).toBe('PENDING_PAYMENT');

    expect(await sweeper.sweepOnce(aged(order, GRACE_MS + 1_000))).toMatchObject({ paid: 1 });
    const paid = await stored(order.id);
    expect(paid.status).toBe('PAID');
    // Off the sweeper's list, and the token gone with it.
    expect(paid.paymentAction).toBeUndefined();
    expect(paid.paymentToken).toBeUndefined();
    expect(await stockOf(graph, productId)).toBe(8);
    const [payment, ...others] = await paymentsOf(order.id);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ status: 'AUTHORIZED', userId: order.userId, amount: order.total });
    expect((await eventsOf(order.id)).map((event) => event.type)).toEqual(['OrderPlaced', 'OrderPaid']);
    // The ledger says who took it: the orders service, for the shopper.
    const ledger = (await scanTable(graph, 'paymentLedger')).filter((entry) => entry.orderId === order.id);
    expect(ledger).toMatchObject([
      { entry: 'AUTHORIZED', actor: 'service:orders', idempotencyKey: `authorize:${order.id}` },
    ]);

    expect(await sweeper.sweepOnce(aged(order, GRACE_MS + 2_000))).toMatchObject({ paid: 0, waiting: 0 });
  });

  it('finds an authorization whose answer was lost instead of taking a second one', async () => {
    const payments = new SwitchablePayments(real);
    payments.loseAuthorizeAnswer = true;
    const { order } = await pendingOrder(payments);
    const [taken] = await paymentsOf(order.id);
    expect(taken).toMatchObject({ status: 'AUTHORIZED' });
    payments.loseAuthorizeAnswer = false;

    expect(await sweeperWith(payments).sweepOnce(aged(order, GRACE_MS + 1_000))).toMatchObject({ paid: 1 });
    expect(await paymentsOf(order.id)).toEqual([taken]);
    const paid = (await eventsOf(order.id)).find((event) => event.type === 'OrderPaid');
    expect(paid?.payload).toMatchObject({ paymentId: taken!.id });
  });

  it('records a decline as checkout does: PAYMENT_FAILED, stock back, lines back in the cart', async () => {
    const payments = new SwitchablePayments(real);
    payments.down = true;
    const { order, productId, shopper } = await pendingOrder(payments, {
      paymentToken: 'tok_chargeDeclined',
    });
    payments.down = false;

    expect(await sweeperWith(payments).sweepOnce(aged(order, GRACE_MS + 1_000))).toMatchObject({ failed: 1 });
    expect((await stored(order.id)).status).toBe('PAYMENT_FAILED');
    expect(await stockOf(graph, productId)).toBe(10);
    expect((await eventsOf(order.id)).map((event) => event.type)).toEqual(['OrderPlaced', 'PaymentDeclined']);
    const cart = await data.carts.get(shopper.userId);
    expect(cart?.lines).toEqual([{ productId, quantity: 2 }]);
  });

  it('gives up after the give-up time: PAYMENT_FAILED with the stock released, then voids what payments holds', async () => {
    const payments = new SwitchablePayments(real);
    payments.down = true;
    const { order, productId, authorization } = await pendingOrder(payments);
    const sweeper = sweeperWith(payments);

    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS - 1_000))).toMatchObject({ waiting: 1, gaveUp: 0 });
    expect((await stored(order.id)).status).toBe('PENDING_PAYMENT');
    expect(await stockOf(graph, productId)).toBe(8);

    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS + 1_000))).toMatchObject({ gaveUp: 1 });
    const failed = await stored(order.id);
    expect(failed).toMatchObject({
      status: 'PAYMENT_FAILED',
      paymentAction: expect.stringMatching(/^VOID#\d\d$/),
    });
    expect(failed.paymentToken).toBeUndefined();
    expect(await stockOf(graph, productId)).toBe(10);
    const events = await eventsOf(order.id);
    expect(events.map((event) => event.type)).toEqual(['OrderPlaced', 'PaymentDeclined']);
    expect(events[1]!.payload).toEqual({ paymentId: null, declineCode: PAYMENT_UNAVAILABLE });

    // While payments stays away, the order waits on the list; once it is back, the order is voided.
    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS + 2_000))).toMatchObject({ voided: 0, waiting: 1 });
    payments.down = false;
    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS + 3_000))).toMatchObject({ voided: 1 });
    expect((await stored(order.id)).paymentAction).toBeUndefined();
    expect(await paymentsOf(order.id)).toMatchObject([
      { status: 'DECLINED', declineCode: 'authorization_abandoned' },
    ]);

    // The checkout's own call, arriving late, takes nothing: it finds the abandoned payment.
    const late = await real.authorize(authorization, {
      orderId: order.id,
      amount: order.total,
      currency: order.currency,
      paymentToken: 'tok_visa',
      idempotencyKey: `authorize:${order.id}`,
    });
    expect(late).toMatchObject({ status: 'DECLINED', declineCode: 'authorization_abandoned' });
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it('releases an authorization that payments took before the sweeper gave up', async () => {
    const payments = new SwitchablePayments(real);
    payments.loseAuthorizeAnswer = true;
    const { order } = await pendingOrder(payments);
    payments.loseAuthorizeAnswer = false;
    payments.down = true;
    const sweeper = sweeperWith(payments);
    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS + 1_000))).toMatchObject({ gaveUp: 1 });
    payments.down = false;
    expect(await sweeper.sweepOnce(aged(order, GIVE_UP_MS + 2_000))).toMatchObject({ voided: 1, waiting: 0 });
    expect(await paymentsOf(order.id)).toMatchObject([{ status: 'REFUNDED' }]);
    expect((await stored(order.id)).status).toBe('PAYMENT_FAILED');
  });

  it('settles each order once when several sweepers (replicas) sweep at the same time', async () => {
    const payments = new SwitchablePayments(real);
    payments.down = true;
    const pending = await Promise.all(Array.from({ length: 4 }, () => pendingOrder(payments)));
    payments.down = false;
    const now = Math.max(...pending.map(({ order }) => aged(order, GRACE_MS + 1_000)));

    await Promise.all([1, 2, 3].map(() => sweeperWith(payments).sweepOnce(now)));
    for (const { order } of pending) {
      expect((await stored(order.id)).status).toBe('PAID');
      expect(await paymentsOf(order.id)).toHaveLength(1);
      // One outcome recorded: the losers' transactions (and so their events) never happened.
      expect((await eventsOf(order.id)).map((event) => event.type)).toEqual(['OrderPlaced', 'OrderPaid']);
    }
  });

  it('lets a service acting on its own only authorize and void, and only for the owner it names', async () => {
    const payments = new SwitchablePayments(real);
    payments.down = true;
    const { order, shopper } = await pendingOrder(payments);
    payments.down = false;
    await sweeperWith(payments).sweepOnce(aged(order, GRACE_MS + 1_000));

    const call = async (operation: string, headers: Record<string, string>, body: object) =>
      (
        await fetch(`${paymentsBase}/internal/payments/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
      ).status;
    const secret = { 'x-internal-secret': DEVELOPMENT_INTERNAL_API_SECRET };
    const asService = { ...secret, 'x-internal-service': 'orders' };
    const authorize = {
      orderId: order.id,
      amount: order.total,
      currency: order.currency,
      paymentToken: 'tok_visa',
      idempotencyKey: `authorize:${order.id}`,
    };
    const settle = { orderId: order.id, idempotencyKey: `refund:${order.id}` };
    const voiding = {
      orderId: order.id,
      amount: order.total,
      currency: order.currency,
      idempotencyKey: `void:${order.id}`,
    };

    // The secret is what makes a caller a service; naming one is not enough.
    expect(
      await call('authorize', { 'x-internal-service': 'orders' }, { ...authorize, userId: order.userId }),
    ).toBe(403);
    expect(await call('authorize', { ...secret, 'x-internal-service': 'Not a name!' }, authorize)).toBe(401);
    // On its own a service must say whose order it is, and only that owner's payment is answered.
    expect(await call('authorize', asService, authorize)).toBe(400);
    expect(await call('authorize', asService, { ...authorize, userId: randomUUID() })).toBe(403);
    expect(await call('authorize', asService, { ...authorize, userId: order.userId })).toBe(200);
    // Capture and refund need a person; void is for services only.
    expect(await call('capture', asService, { ...settle, userId: order.userId })).toBe(403);
    expect(await call('refund', asService, { ...settle, userId: order.userId })).toBe(403);
    expect(
      await call(
        'void',
        { ...secret, ...(await asGateway(graph.env, { userId: shopper.userId, role: 'ADMIN' })) },
        voiding,
      ),
    ).toBe(403);
    expect(await paymentsOf(order.id)).toMatchObject([{ status: 'AUTHORIZED' }]);
  });
});
