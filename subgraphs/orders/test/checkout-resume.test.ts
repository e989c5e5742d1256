// A checkout interrupted between reserving stock and recording the payment outcome (here: the
// payments service unreachable once) is finished by retrying with the same idempotency key —
// without reserving stock again or charging twice.
import { randomUUID } from 'node:crypto';
import {
  createLogger,
  DEVELOPMENT_INTERNAL_API_SECRET,
  dynamoConfigSchema,
  loadConfig,
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
import { Carts } from '../src/domain/cart';
import { Orders } from '../src/domain/orders';
import { HttpPaymentsClient, PaymentsCallError, type PaymentsPort } from '../src/services/payments';

describe('an interrupted checkout', () => {
  let graph: TestSupergraph;
  let data: OrdersData;

  beforeAll(async () => {
    // The orders service's own payment sweeper would finish the pending order itself, given time.
    graph = await startTestSupergraph({
      env: { PAYMENT_SWEEP_GRACE_MS: '3600000', PAYMENT_SWEEP_GIVE_UP_MS: '7200000' },
      only: ['users', 'products', 'payments', 'orders'],
    });
    data = await openOrdersData(loadConfig(dynamoConfigSchema, graph.env));
  });
  afterAll(async () => {
    data?.close();
    await graph?.stop();
  });

  it('resumes at the payment step when retried with the same key, reserving and charging once', async () => {
    const admin = await mintCaller(graph, 'ADMIN');
    const productId = await createProduct(graph, admin, { stock: 5 });
    const shopper = await mintCaller(graph);
    await addToCart(graph, shopper, productId, 2);

    // The outage is the test's own (`flaky`); the real client's timeout only bounds a hung call, so
    // not the service's 5 s, which a loaded machine (four jest workers on two cores) can exceed.
    const real = new HttpPaymentsClient(
      graph.subgraphUrls.payments!.replace(/\/graphql$/, ''),
      60_000,
      DEVELOPMENT_INTERNAL_API_SECRET,
    );
    let outages = 1;
    const flaky: PaymentsPort = {
      authorize: (authorization, request) =>
        outages-- > 0
          ? Promise.reject(new PaymentsCallError('connection refused', 0))
          : real.authorize(authorization, request),
      capture: (...args) => real.capture(...args),
      refund: (...args) => real.refund(...args),
      authorizeAsService: (...args) => real.authorizeAsService(...args),
      voidAsService: (...args) => real.voidAsService(...args),
    };
    const carts = new Carts(data.carts, data.products);
    const orders = new Orders(
      {
        orders: data.orders,
        carts: data.carts,
        cartService: carts,
        products: data.products,
        payments: flaky,
        pricing: { taxRateBasisPoints: 800, shippingFee: 599, freeShippingMin: 5_000 },
      },
      createLogger('orders-test', 'silent'),
    );
    const caller = { userId: shopper.userId, role: 'CUSTOMER' as const };
    // What the orders subgraph receives from the gateway, and forwards to payments.
    const { authorization } = await asGateway(graph.env, caller);
    const input = { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' };

    await expect(orders.checkout(caller, authorization, input)).rejects.toMatchObject({
      extensions: { code: 'PAYMENT_FAILED', retryable: true },
    });
    const pending = (await scanTable(graph, 'orders')).filter((order) => order.userId === shopper.userId);
    expect(pending.map((order) => order.status)).toEqual(['PENDING_PAYMENT']);
    expect(await stockOf(graph, productId)).toBe(3);

    const resumed = await orders.checkout(caller, authorization, input);
    expect(resumed).toMatchObject({ id: pending[0]!.id, status: 'PAID' });
    expect(await stockOf(graph, productId)).toBe(3);
    expect(
      (await scanTable(graph, 'payments')).filter((payment) => payment.orderId === resumed.id),
    ).toHaveLength(1);
    const events = (await scanTable(graph, 'orderOutbox')).filter((event) => event.orderId === resumed.id);
    expect(events.map((event) => event.type).sort()).toEqual(['OrderPaid', 'OrderPlaced']);
  });
});
