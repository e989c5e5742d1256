// Live sales windows through the gateway, on the test supergraph (DynamoDB Local, the file event
// log): checkouts → OrderPaid on orders.events → insights' 3-second windows (SALES_WINDOW_MS,
// shortened so nothing waits a minute) → each closed window on insights.sales-windows → the
// gateway's liveSales subscription, fetched with the admin's own token. A shopper is refused with
// FORBIDDEN, as for orderEvents; liveSalesWindows checks its `last`.
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addToCart,
  checkout,
  dataOf,
  errorCodes,
  gql,
  mintCaller,
  postGraphQL,
  signUp,
  startTestSupergraph,
  viaGateway,
  waitFor,
  type Caller,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import type { RunningGateway } from '@cloudmart/gateway/server';

const LIVE_SALES = `subscription LiveSales {
  liveSales {
    start end closed orders units lateEvents
    revenue { amount currency }
    categories { category orders units revenue { amount currency } }
  }
}`;

interface Window {
  start: string;
  end: string;
  closed: boolean;
  orders: number;
  units: number;
  lateEvents: number;
  revenue: { amount: number; currency: string };
  categories: { category: string; orders: number; units: number; revenue: { amount: number; currency: string } }[];
}
type Result = { data?: { liveSales?: Window } | null; errors?: { extensions?: { code?: string } }[] };

describe('live sales windows through the gateway', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  const clients: Client[] = [];

  beforeAll(async () => {
    graph = await startTestSupergraph({
      only: ['users', 'products', 'payments', 'orders', 'insights'],
      env: { SALES_WINDOW_MS: '3000', SALES_ALLOWED_LATENESS_MS: '1000' },
    });
    admin = await mintCaller(graph, 'ADMIN');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await graph?.stop();
  });

  const open = (caller: Caller | undefined) => {
    const client = createClient({
      url: graph.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: caller ? { authorization: caller.headers.authorization } : undefined,
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };
  const collect = (client: Client, query: string) => {
    const state = { results: [] as Result[], failure: undefined as unknown };
    client.subscribe({ query }, { next: (value) => void state.results.push(value as Result), error: (error) => (state.failure = error), complete: () => undefined });
    return state;
  };
  const subscribed = (count: number) =>
    waitFor(`${count} subscriptions`, () => (graph.gateway as RunningGateway).activeSubscriptions() === count);

  async function product(category: string, price: number) {
    const response = await postGraphQL<{ createProduct: { id: string } }>(
      graph.gatewayUrl,
      'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      {
        input: {
          sku: `LIVE-${randomUUID().slice(0, 8).toUpperCase()}`,
          name: `Live ${category}`,
          description: 'A product of the live sales test.',
          brand: 'Testbrand',
          category,
          price: { amount: price, currency: 'USD' },
          stock: 50,
        },
      },
      admin.headers,
    );
    return dataOf(response).createProduct.id;
  }

  async function buy(lines: [productId: string, quantity: number][]) {
    const signedUp = await signUp(graph.gatewayUrl, `live-${randomUUID()}@example.com`, 'Live Shopper');
    const shopper: Caller = { userId: signedUp.id, headers: { authorization: `Bearer ${signedUp.token}` } };
    for (const [productId, quantity] of lines) await addToCart(graph, shopper, productId, quantity);
    const order = dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' })).checkout;
    expect(order.status).toBe('PAID');
    return shopper;
  }

  it('pushes each closed window to an admin, with orders, units and revenue per category', async () => {
    const live = collect(open(admin), LIVE_SALES);
    await subscribed(1);
    const [kettle, speaker] = await Promise.all([product('kitchen', 2_500), product('speakers', 1_200)]);
    await buy([[kettle, 2], [speaker, 1]]);
    await buy([[speaker, 3]]);
    await buy([[kettle, 1]]);

    // The checkouts may fall in one window or straddle two: add up what was pushed.
    const pushed = () => live.results.map((result) => result.data?.liveSales).filter((window): window is Window => !!window);
    const sum = () => {
      const byCategory = new Map<string, { orders: number; units: number; revenue: number }>();
      for (const window of pushed())
        for (const row of window.categories) {
          const total = byCategory.get(row.category) ?? { orders: 0, units: 0, revenue: 0 };
          byCategory.set(row.category, { orders: total.orders + row.orders, units: total.units + row.units, revenue: total.revenue + row.revenue.amount });
        }
      return Object.fromEntries([...byCategory].sort(([a], [b]) => a.localeCompare(b)));
    };
    await waitFor('the windows of three paid orders', () => pushed().reduce((orders, window) => orders + window.orders, 0) >= 3, 30_000);
    expect(live.results.every((result) => result.errors === undefined)).toBe(true);
    expect(sum()).toEqual({
      kitchen: { orders: 2, units: 3, revenue: 3 * 2_500 },
      speakers: { orders: 2, units: 4, revenue: 4 * 1_200 },
    });
    for (const window of pushed()) {
      expect(window).toMatchObject({ closed: true, lateEvents: 0, revenue: { currency: 'USD' } });
      expect(Date.parse(window.end) - Date.parse(window.start)).toBe(3_000);
      expect(window.revenue.amount).toBe(window.categories.reduce((total, row) => total + row.revenue.amount, 0));
    }
    expect(pushed().reduce((orders, window) => orders + window.orders, 0)).toBe(3);
    expect(new Set(pushed().map((window) => window.start)).size).toBe(pushed().length); // each window once

    // The same windows, as liveSalesWindows lists them (newest first).
    const listed = dataOf(
      await gql<{ liveSalesWindows: { start: string; orders: number; units: number }[] }>(
        graph,
        'query { liveSalesWindows(last: 60) { start orders units } }',
        {},
        admin,
      ),
    ).liveSalesWindows;
    const starts = pushed().map((window) => window.start).sort().reverse();
    expect(listed.map((window) => window.start)).toEqual(starts);
    expect(listed.reduce((units, window) => units + window.units, 0)).toBe(7);
  });

  it('refuses liveSales to a shopper with FORBIDDEN, and to a connection without a token', async () => {
    const shopper = await mintCaller(graph, 'CUSTOMER');
    const refused = collect(open(shopper), LIVE_SALES);
    await waitFor('the refusal', () => refused.failure !== undefined);
    expect((refused.failure as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const guest = collect(open(undefined), LIVE_SALES);
    await waitFor('the close', () => guest.failure !== undefined);
    expect((guest.failure as { code?: number }).code).toBe(4403);
  });

  it('answers liveSalesWindows for 1 to 60 windows, BAD_USER_INPUT otherwise; admins only', async () => {
    const query = 'query($last: Int) { liveSalesWindows(last: $last) { start } }';
    for (const last of [0, -1, 61]) {
      expect([last, errorCodes(await gql(graph, query, { last }, admin))]).toEqual([last, ['BAD_USER_INPUT']]);
    }
    // An enormous one is refused by the gateway's demand control (@listSize) before any subgraph is asked.
    expect(errorCodes(await gql(graph, query, { last: 1_000_000 }, admin))).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    for (const last of [1, 60]) expect(errorCodes(await gql(graph, query, { last }, admin))).toEqual([]);
    expect(errorCodes(await gql(graph, 'query { liveSalesWindows { start } }', {}, admin))).toEqual([]); // default 15

    const shopper = await mintCaller(graph, 'CUSTOMER');
    const window = 'query($start: DateTime!) { salesWindow(start: $start) { orders } }';
    const start = { start: new Date().toISOString() };
    // The gateway removes @requiresScopes(admin) fields; the subgraph refuses them itself too.
    expect(errorCodes(await gql(graph, query, { last: 5 }, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(errorCodes(await gql(graph, window, start, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const direct = async (caller?: Caller) =>
      errorCodes(await postGraphQL(graph.subgraphUrls.insights!, window, start, await viaGateway(graph, caller)));
    expect(await direct(shopper)).toEqual(['FORBIDDEN']);
    expect(await direct()).toEqual(['UNAUTHENTICATED']);
    expect(dataOf(await gql<{ salesWindow: null }>(graph, window, start, admin)).salesWindow).toBeNull();
  });
});
