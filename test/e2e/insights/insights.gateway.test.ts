// The insights subgraph through the gateway, on the whole test supergraph (DynamoDB Local, the
// file event log, the DuckDB warehouse, the local sentiment analyser):
// - sales over a seeded 30-day history (orders written to the orders table and loaded by the
//   backfill) plus live checkouts (loaded by the sink from orders.events), recomputed from DynamoDB;
// - review sentiment, computed after the review is written, on Review and Product;
// - every insights field is refused to shoppers and guests: by the gateway (UNAUTHORIZED_FIELD_OR_TYPE,
//   from @requiresScopes) and by the subgraph itself (FORBIDDEN, UNAUTHENTICATED).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { repoRoot } from '@cloudmart/runtime';
import { runBackfill } from '@cloudmart/insights/backfill';
import type { OrderItem } from '@cloudmart/orders/table-items';
import {
  addToCart,
  checkout,
  createProduct,
  dataOf,
  errorCodes,
  gql,
  mintCaller,
  postGraphQL,
  scanTable,
  startTestSupergraph,
  viaGateway,
  waitFor,
  type Caller,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { DAY_MS, putOrders, utcDay } from './helpers';

const REVENUE_STATUSES = new Set(['PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED']);

/** Each final status with the history that leads to it in the orders state machine. */
const histories: Record<string, string[]> = {
  PENDING_PAYMENT: ['PENDING_PAYMENT'],
  PAID: ['PENDING_PAYMENT', 'PAID'],
  FULFILLING: ['PENDING_PAYMENT', 'PAID', 'FULFILLING'],
  SHIPPED: ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED'],
  DELIVERED: ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED'],
  CANCELLED: ['PENDING_PAYMENT', 'PAID', 'CANCELLED'],
  REFUNDED: ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'REFUNDED'],
  PAYMENT_FAILED: ['PENDING_PAYMENT', 'PAYMENT_FAILED'],
};

function historicOrder(
  createdAt: Date,
  status: string,
  lines: { productId: string; quantity: number; unitPrice: number }[],
): OrderItem {
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const tax = Math.floor((subtotal * 800 + 5_000) / 10_000);
  const shipping = subtotal >= 5_000 ? 0 : 599;
  const id = randomUUID();
  const events = histories[status]!.map((s, i) => ({
    status: s,
    at: new Date(createdAt.getTime() + i * 60_000).toISOString(),
  }));
  return {
    id,
    number: `CM-${id.replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    userId: randomUUID(),
    status: status as OrderItem['status'],
    currency: 'USD',
    lines,
    subtotal,
    tax,
    shipping,
    total: subtotal + tax + shipping,
    events: events as OrderItem['events'],
    createdAt: createdAt.toISOString(),
    updatedAt: events.at(-1)!.at,
  };
}

const SALES = `query($from: DateTime!, $to: DateTime!, $g: Granularity!) {
  salesSummary(from: $from, to: $to, granularity: $g) {
    periodStart revenue { amount currency } orders averageOrderValue { amount currency }
  }
}`;

describe('insights through the gateway', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  let shopper: Caller;
  let products: string[];

  beforeAll(async () => {
    graph = await startTestSupergraph({ only: ['users', 'products', 'payments', 'orders', 'insights'] });
    admin = await mintCaller(graph, 'ADMIN');
    shopper = await mintCaller(graph);
    products = [
      await createProduct(graph, admin, { stock: 500, price: 1_999 }),
      await createProduct(graph, admin, { stock: 500, price: 4_500 }),
      await createProduct(graph, admin, { stock: 500, price: 12_000 }),
    ];
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('salesSummary for the last 30 days by DAY: one row per day, revenue = paid orders recomputed from DynamoDB', async () => {
    const today = new Date(`${utcDay(new Date())}T00:00:00Z`);
    const from = new Date(today.getTime() - 29 * DAY_MS);
    const to = new Date(today.getTime() + DAY_MS);

    // History: 1 to 3 orders on each of the 29 previous days, in every status, written to the orders table.
    const statuses = Object.keys(histories);
    const history: OrderItem[] = [];
    for (let day = 1; day <= 29; day++) {
      for (let n = 0; n < (day % 3) + 1; n++) {
        const createdAt = new Date(today.getTime() - day * DAY_MS + (n + 1) * 3_600_000);
        const status = statuses[(day + n) % statuses.length]!;
        history.push(
          historicOrder(createdAt, status, [
            {
              productId: products[day % 3]!,
              quantity: (n % 2) + 1,
              unitPrice: [1_999, 4_500, 12_000][day % 3]!,
            },
            ...(n === 1
              ? [
                  {
                    productId: products[(day + 1) % 3]!,
                    quantity: 1,
                    unitPrice: [1_999, 4_500, 12_000][(day + 1) % 3]!,
                  },
                ]
              : []),
          ]),
        );
      }
    }
    await putOrders(graph, history);

    // Today: real checkouts through the gateway — paid, declined, and paid then cancelled (refunded).
    const placeOrder = async (productId: string, quantity: number, paymentToken = 'tok_visa') => {
      const buyer = await mintCaller(graph);
      await addToCart(graph, buyer, productId, quantity);
      return {
        buyer,
        order: dataOf(await checkout(graph, buyer, { idempotencyKey: randomUUID(), paymentToken })).checkout,
      };
    };
    await placeOrder(products[0]!, 2);
    await placeOrder(products[2]!, 1);
    await placeOrder(products[1]!, 1, 'tok_chargeDeclined');
    const cancelled = await placeOrder(products[1]!, 3);
    dataOf(
      await gql(
        graph,
        'mutation($id: ID!) { cancelOrder(orderId: $id) { status } }',
        { id: cancelled.order.id },
        cancelled.buyer,
      ),
    );

    // Today's orders reach the warehouse through the sink (orders outbox → orders.events → sink).
    const paidToday = (await scanTable(graph, 'orders')).filter(
      (order) =>
        REVENUE_STATUSES.has(String(order.status)) && utcDay(String(order.createdAt)) === utcDay(today),
    );
    expect(paidToday).toHaveLength(2);
    const todayRevenue = paidToday.reduce((sum, order) => sum + Number(order.total), 0);
    await waitFor('the sink to load today’s orders', async () => {
      const response = await gql<{ salesSummary: { revenue: { amount: number }; orders: number }[] }>(
        graph,
        SALES,
        { from: today.toISOString(), to: to.toISOString(), g: 'DAY' },
        admin,
      );
      const [row] = dataOf(response).salesSummary;
      return row?.orders === 2 && row.revenue.amount === todayRevenue;
    }, 30_000);

    // The backfill loads the history (and today's orders again: the same keys, so nothing twice).
    const loaded = await runBackfill(graph.env);
    expect(loaded).toBeGreaterThanOrEqual(history.length + 4);

    // Recomputed from the source table.
    const expected = new Map<string, { revenue: number; orders: number }>();
    for (let day = 0; day < 30; day++)
      expected.set(utcDay(new Date(from.getTime() + day * DAY_MS)), { revenue: 0, orders: 0 });
    for (const order of await scanTable(graph, 'orders')) {
      if (!REVENUE_STATUSES.has(String(order.status))) continue;
      const row = expected.get(utcDay(String(order.createdAt)));
      if (!row) continue;
      row.revenue += Number(order.total);
      row.orders += 1;
    }
    const expectedRows = [...expected].map(([day, { revenue, orders }]) => ({
      periodStart: `${day}T00:00:00.000Z`,
      revenue: { amount: revenue, currency: 'USD' },
      orders,
      averageOrderValue: {
        amount: orders === 0 ? 0 : Math.floor((2 * revenue + orders) / (2 * orders)),
        currency: 'USD',
      },
    }));
    expect(expectedRows.filter((row) => row.orders > 0).length).toBeGreaterThan(10);

    const rows = dataOf(
      await gql<{ salesSummary: unknown[] }>(
        graph,
        SALES,
        { from: from.toISOString(), to: to.toISOString(), g: 'DAY' },
        admin,
      ),
    ).salesSummary;
    expect(rows).toHaveLength(30);
    expect(rows).toEqual(expectedRows);

    // topProducts and categoryBreakdown over the same orders, recomputed from their lines.
    const units = new Map<string, { units: number; revenue: number }>();
    for (const order of await scanTable(graph, 'orders')) {
      if (!REVENUE_STATUSES.has(String(order.status)) || new Date(String(order.createdAt)) < from) continue;
      for (const line of order.lines as { productId: string; quantity: number; unitPrice: number }[]) {
        const entry = units.get(line.productId) ?? { units: 0, revenue: 0 };
        entry.units += line.quantity;
        entry.revenue += line.quantity * line.unitPrice;
        units.set(line.productId, entry);
      }
    }
    const top = dataOf(
      await gql<{
        topProducts: { product: { id: string; name: string }; units: number; revenue: { amount: number } }[];
      }>(
        graph,
        'query($from: DateTime!, $to: DateTime!) { topProducts(from: $from, to: $to, first: 3, by: UNITS) { product { id name } units revenue { amount } } }',
        { from: from.toISOString(), to: to.toISOString() },
        admin,
      ),
    ).topProducts;
    expect(top.map((row) => [row.product.id, row.units, row.revenue.amount])).toEqual(
      [...units]
        .sort(([a, x], [b, y]) => y.units - x.units || y.revenue - x.revenue || (a < b ? -1 : 1))
        .map(([id, entry]) => [id, entry.units, entry.revenue]),
    );
    expect(top[0]!.product.name).toMatch(/Test product/); // resolved by the products subgraph
    const categories = dataOf(
      await gql<{ categoryBreakdown: { category: string; units: number; revenue: { amount: number } }[] }>(
        graph,
        'query($from: DateTime!, $to: DateTime!) { categoryBreakdown(from: $from, to: $to) { category units revenue { amount } } }',
        { from: from.toISOString(), to: to.toISOString() },
        admin,
      ),
    ).categoryBreakdown;
    const allUnits = [...units.values()];
    expect(categories).toEqual([
      {
        category: 'headphones',
        units: allUnits.reduce((sum, entry) => sum + entry.units, 0),
        revenue: { amount: allUnits.reduce((sum, entry) => sum + entry.revenue, 0) },
      },
    ]);
  });

  it('gives every new review its sentiment, on Review and Product (local analyser)', async () => {
    const productId = products[1]!;
    const reviews = [
      {
        rating: 5,
        title: 'Wonderful',
        body: 'Great sound, I love these headphones! Excellent comfort.',
        label: 'POSITIVE',
      },
      {
        rating: 1,
        title: 'Awful',
        body: 'Terrible. Broke after two days, a horrible waste of money.',
        label: 'NEGATIVE',
      },
      {
        rating: 3,
        title: 'Two sides',
        body: 'The sound is amazing. But the battery is terrible and it broke.',
        label: 'MIXED',
      },
    ];
    const ids = new Map<string, string>();
    for (const review of reviews) {
      const author = await mintCaller(graph);
      const added = dataOf(
        await gql<{ addReview: { id: string } }>(
          graph,
          'mutation($p: ID!, $r: Int!, $t: String!, $b: String!) { addReview(productId: $p, rating: $r, title: $t, body: $b) { id } }',
          { p: productId, r: review.rating, t: review.title, b: review.body },
          author,
        ),
      ).addReview;
      ids.set(added.id, review.label);
    }
    type Page = {
      product: {
        reviews: { edges: { node: { id: string; sentiment: { label: string; score: number } | null } }[] };
        sentiment: {
          reviewCount: number;
          positive: number;
          negative: number;
          mixed: number;
          averageScore: number;
        };
      };
    };
    const query = `query($id: ID!) { product(id: $id) {
      reviews(first: 10) { edges { node { id sentiment { label score } } } }
      sentiment { reviewCount positive negative mixed averageScore }
    } }`;
    let page: Page | undefined;
    await waitFor('every review to be analysed', async () => {
      page = dataOf(await gql<Page>(graph, query, { id: productId }, admin));
      // The summary reads the byProduct index, which DynamoDB keeps eventually consistent: a review
      // can carry its sentiment a moment before the index counts it.
      return (
        page.product.reviews.edges.every((edge) => edge.node.sentiment !== null) &&
        page.product.reviews.edges.length === 3 &&
        page.product.sentiment.reviewCount === 3
      );
    }, 30_000);
    for (const { node } of page!.product.reviews.edges) {
      expect(node.sentiment!.label).toBe(ids.get(node.id));
      expect(node.sentiment!.score).toBeGreaterThanOrEqual(-1);
      expect(node.sentiment!.score).toBeLessThanOrEqual(1);
    }
    const scores = page!.product.reviews.edges.map((edge) => edge.node.sentiment!.score);
    expect(page!.product.sentiment).toEqual({
      reviewCount: 3,
      positive: 1,
      negative: 1,
      mixed: 1,
      averageScore: Math.round((scores.reduce((a, b) => a + b, 0) / 3) * 1000) / 1000,
    });
    // The reviews' sentiments come from one fetch to insights (the DataLoader batches them).
    graph.resetSubgraphRequests();
    dataOf(
      await gql(
        graph,
        'query($id: ID!) { product(id: $id) { reviews { edges { node { sentiment { label } } } } } }',
        { id: productId },
        admin,
      ),
    );
    expect(graph.subgraphRequests.insights).toBe(1);
  });

  it('refuses every insights field to shoppers and guests (UNAUTHORIZED_FIELD_OR_TYPE at the gateway)', async () => {
    const range = { from: new Date(Date.now() - DAY_MS).toISOString(), to: new Date().toISOString() };
    const productId = products[0]!;
    // Every field insights defines or contributes, with a query that reaches it.
    const queries: Record<string, [string, Record<string, unknown>]> = {
      'Query.liveSalesWindows': ['query { liveSalesWindows(last: 5) { start } }', {}],
      'Query.salesWindow': ['query($start: DateTime!) { salesWindow(start: $start) { orders } }', { start: range.from }],
      'Query.salesSummary': [
        'query($from: DateTime!, $to: DateTime!) { salesSummary(from: $from, to: $to) { orders } }',
        range,
      ],
      'Query.topProducts': [
        'query($from: DateTime!, $to: DateTime!) { topProducts(from: $from, to: $to) { units } }',
        range,
      ],
      'Query.categoryBreakdown': [
        'query($from: DateTime!, $to: DateTime!) { categoryBreakdown(from: $from, to: $to) { units } }',
        range,
      ],
      'Query.sentimentSummary': [
        'query($id: ID!) { sentimentSummary(productId: $id) { reviewCount } }',
        { id: productId },
      ],
      'Product.sentiment': [
        'query($id: ID!) { product(id: $id) { sentiment { reviewCount } } }',
        { id: productId },
      ],
      'Review.sentiment': [
        'query($id: ID!) { product(id: $id) { reviews { edges { node { sentiment { label } } } } } }',
        { id: products[1]! },
      ],
    };
    const schema = parse(readFileSync(path.join(repoRoot, 'subgraphs', 'insights', 'schema.graphql'), 'utf8'));
    const fields = schema.definitions
      .filter(
        (d): d is ObjectTypeDefinitionNode | ObjectTypeExtensionNode =>
          d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension',
      )
      .filter((d) => ['Query', 'Product', 'Review'].includes(d.name.value))
      .flatMap((d) =>
        (d.fields ?? []).filter((f) => f.name.value !== 'id').map((f) => `${d.name.value}.${f.name.value}`),
      );
    expect(Object.keys(queries).sort()).toEqual(fields.sort());

    for (const [field, [query, variables]] of Object.entries(queries)) {
      const asShopper = await gql(graph, query, variables, shopper);
      // The gateway removes @requiresScopes(admin) fields before planning (docs/security.md).
      expect([field, errorCodes(asShopper)]).toEqual([field, ['UNAUTHORIZED_FIELD_OR_TYPE']]);
      const asGuest = await gql(graph, query, variables);
      expect([field, errorCodes(asGuest)]).toEqual([field, ['UNAUTHORIZED_FIELD_OR_TYPE']]);
      if (field.startsWith('Query.')) {
        // The subgraph enforces the same rule itself (asked as the gateway would ask it).
        const direct = async (caller?: typeof shopper) =>
          postGraphQL(graph.subgraphUrls.insights!, query, variables, await viaGateway(graph, caller));
        expect([field, errorCodes(await direct(shopper))]).toEqual([field, ['FORBIDDEN']]);
        expect([field, errorCodes(await direct())]).toEqual([field, ['UNAUTHENTICATED']]);
      }
      const asAdmin = await gql(graph, query, variables, admin);
      expect([field, asAdmin.errors ?? []]).toEqual([field, []]);
    }
  });
});
