// Payments SIGKILLed while 20 shoppers check out at once (issue 17). Payments runs in a process of
// its own, started as `npm start` starts it; everything else runs in this process. Checkouts that
// were waiting on payments when it died, and those that came after, leave their orders in
// PENDING_PAYMENT with stock held; once payments is back, the orders service's payment sweeper
// finishes them. At the end: no order is left PENDING_PAYMENT, every product's starting stock is
// its stock now plus the units of the orders that hold stock, and each PAID order has exactly one
// authorised payment (one payment, one AUTHORIZED ledger entry) — nothing was charged twice.
import { randomUUID } from 'node:crypto';
import {
  type Caller,
  createProduct,
  dataOf,
  type TestDynamoDb,
  makeTempDir,
  mintCaller,
  postGraphQL,
  scanTable,
  type ServiceProcess,
  startTestDynamoDb,
  startServiceProcess,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const SHOPPERS = 20;
/** Of the 20, how many check out only once payments is dead, so some orders surely wait for the sweeper. */
const AFTER_THE_KILL = 5;
const PRODUCTS = 4;
const STARTING_STOCK = 50;
/** Generous: it only bounds a failing run (the sweeper retries every quarter second once payments is back). */
const SETTLE_DEADLINE_MS = 120_000;

const ADD_TO_CART =
  'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { items { quantity } } }';
const CHECKOUT = 'mutation($input: CheckoutInput!) { checkout(input: $input) { id status } }';

interface Shopper {
  caller: Caller;
  productId: string;
  quantity: number;
  paymentToken: string;
}

describe('payments killed during 20 concurrent checkouts', () => {
  let dynamo: TestDynamoDb;
  let dataDir: ReturnType<typeof makeTempDir>;
  let payments: ServiceProcess;
  let graph: TestSupergraph;

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    dataDir = makeTempDir('e2e-payments');
    // What every service shares: the store, and DATA_DIR with the development keys (payments checks
    // the gateway's internal tokens with the same key pair as the rest).
    const shared = { NODE_ENV: 'test', DATA_DIR: dataDir.dir, DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: dynamo.tablePrefix };
    payments = await startServiceProcess('payments', { ...shared, LOG_LEVEL: 'error' });
    graph = await startTestSupergraph({
      dynamo: false,
      external: { payments: payments.url },
      env: {
        ...shared,
        // The sweeper looks at orders a second old, four times a second; it never gives up here.
        PAYMENT_SWEEP_GRACE_MS: '1000',
        PAYMENT_SWEEP_INTERVAL_MS: '250',
        PAYMENT_SWEEP_GIVE_UP_MS: '3600000',
      },
      only: ['users', 'products', 'orders'],
    });
  });

  afterAll(async () => {
    await graph?.stop();
    await payments?.kill();
    await dynamo?.stop();
    dataDir?.remove();
  });

  it('ends every order PAID or PAYMENT_FAILED after the restart, stock consistent, each paid order authorised once', async () => {
    const admin = await mintCaller(graph, 'ADMIN');
    const productIds = await Promise.all(
      Array.from({ length: PRODUCTS }, () =>
        createProduct(graph, admin, { stock: STARTING_STOCK, price: 1_999 }),
      ),
    );
    const shoppers: Shopper[] = await Promise.all(
      Array.from({ length: SHOPPERS }, async (_, i) => {
        const shopper: Shopper = {
          caller: await mintCaller(graph),
          productId: productIds[i % PRODUCTS]!,
          quantity: 1 + (i % 3),
          // Every fifth card is declined: those orders end PAYMENT_FAILED with their stock back.
          paymentToken: i % 5 === 4 ? 'tok_chargeDeclined' : 'tok_visa',
        };
        const added = await postGraphQL(
          graph.gatewayUrl,
          ADD_TO_CART,
          { p: shopper.productId, q: shopper.quantity },
          shopper.caller.headers,
        );
        dataOf(added);
        return shopper;
      }),
    );
    const checkout = (shopper: Shopper) =>
      postGraphQL<{ checkout: { id: string; status: string } }>(
        graph.gatewayUrl,
        CHECKOUT,
        { input: { idempotencyKey: randomUUID(), paymentToken: shopper.paymentToken } },
        shopper.caller.headers,
      );

    // Most shoppers check out at once; payments is killed as soon as the first payment is recorded,
    // while the others are in flight; the rest check out against the dead service.
    const first = shoppers.slice(0, SHOPPERS - AFTER_THE_KILL).map(checkout);
    const deadline = Date.now() + SETTLE_DEADLINE_MS;
    while ((await scanTable(graph, 'payments')).length === 0) {
      if (Date.now() > deadline) throw new Error('no checkout reached payments');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await payments.kill('SIGKILL');
    const answers = await Promise.all([...first, ...shoppers.slice(SHOPPERS - AFTER_THE_KILL).map(checkout)]);
    // Each answer is an order, or a coded error the shopper can act on (retry the same checkout).
    for (const answer of answers) {
      if (answer.errors)
        expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['PAYMENT_FAILED']);
      else expect(['PAID', 'PAYMENT_FAILED']).toContain(answer.data!.checkout.status);
    }
    const ours = new Set(shoppers.map((shopper) => shopper.caller.userId));
    const ordersNow = async () =>
      (await scanTable(graph, 'orders')).filter((order) => ours.has(String(order.userId)));
    // Placing an order does not need payments: every shopper has one, and those after the kill wait.
    const beforeRestart = await ordersNow();
    expect(beforeRestart).toHaveLength(SHOPPERS);
    expect(beforeRestart.filter((order) => order.status === 'PENDING_PAYMENT').length).toBeGreaterThanOrEqual(
      AFTER_THE_KILL,
    );

    await payments.restart();
    let orders = await ordersNow();
    while (orders.some((order) => order.status === 'PENDING_PAYMENT')) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      orders = await ordersNow();
    }

    // No order is left waiting; the cards decide the outcome (nothing was given up on).
    const byUser = new Map(orders.map((order) => [String(order.userId), order]));
    for (const shopper of shoppers) {
      expect(byUser.get(shopper.caller.userId)?.status).toBe(
        shopper.paymentToken === 'tok_visa' ? 'PAID' : 'PAYMENT_FAILED',
      );
    }

    // No oversell, no lost reservation: starting stock = stock now + units of orders that hold stock.
    const products = new Map(
      (await scanTable(graph, 'products')).map((product) => [String(product.id), product]),
    );
    for (const productId of productIds) {
      const held = orders
        .filter((order) => order.status === 'PAID')
        .flatMap((order) => order.lines as { productId: string; quantity: number }[])
        .filter((line) => line.productId === productId)
        .reduce((sum, line) => sum + line.quantity, 0);
      expect({ productId, stock: Number(products.get(productId)?.stock) + held }).toEqual({
        productId,
        stock: STARTING_STOCK,
      });
    }

    // Each PAID order: one payment, AUTHORIZED, with one AUTHORIZED ledger entry; no declined order
    // holds an authorization.
    const paymentsByOrder = new Map<string, Record<string, unknown>[]>();
    for (const payment of await scanTable(graph, 'payments')) {
      const list = paymentsByOrder.get(String(payment.orderId)) ?? [];
      list.push(payment);
      paymentsByOrder.set(String(payment.orderId), list);
    }
    const ledger = await scanTable(graph, 'paymentLedger');
    for (const order of orders) {
      const orderPayments = paymentsByOrder.get(String(order.id)) ?? [];
      const authorised = ledger.filter((entry) => entry.orderId === order.id && entry.entry === 'AUTHORIZED');
      if (order.status === 'PAID') {
        expect(orderPayments).toMatchObject([{ status: 'AUTHORIZED', amount: order.total }]);
        expect(authorised).toHaveLength(1);
      } else {
        expect(orderPayments.filter((payment) => payment.status === 'AUTHORIZED')).toEqual([]);
      }
    }

    // One outcome recorded per order, through the outbox: OrderPlaced, then OrderPaid or PaymentDeclined.
    const outbox = await scanTable(graph, 'orderOutbox');
    for (const order of orders) {
      const types = outbox
        .filter((event) => event.orderId === order.id)
        .sort((a, b) => String(a.sequence).localeCompare(String(b.sequence)))
        .map((event) => event.type);
      expect(types).toEqual(['OrderPlaced', order.status === 'PAID' ? 'OrderPaid' : 'PaymentDeclined']);
    }
  });
});
