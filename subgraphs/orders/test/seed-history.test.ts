// The generated order history: its structure (what makes recommendations learnable) and its
// loading into DynamoDB Local, whose outbox the relay then publishes like any checkout's.
import { PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createLogger, ensureTables, eventEnvelopeSchema, InProcessEventBus, type EventEnvelope } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { orderEventPayloadSchemas, ordersTables } from '../src/contract';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { openOrdersData, type OrdersData } from '../src/data';
import { orderItemSchema } from '../src/data/items';
import { OutboxRelay } from '../src/workers/outbox-relay';
import { generateOrderHistory, seedOrderHistory, type SeedProduct } from '../src/seed';
import { seedOrderHistoryInBackground } from '../src/seed/background';
import { HistoryImport } from '../src/data/history-import';

const DAY = 24 * 3600 * 1000;
const END = Date.parse('2026-11-01T00:00:00Z');
const pricing = { taxRateBasisPoints: 800, shippingFee: 599, freeShippingMin: 5_000 };
const categories = ['laptops', 'headphones', 'outdoor', 'books', 'toys', 'kitchen'];
const products: SeedProduct[] = Array.from({ length: 120 }, (_, i) => ({
  id: `product-${String(i).padStart(3, '0')}`,
  category: categories[i % categories.length]!,
  priceAmount: 1_000 + i * 100 - 1,
  currency: 'USD',
}));
const categoryOf = new Map(products.map((p) => [p.id, p.category]));

describe('generateOrderHistory', () => {
  const history = generateOrderHistory(products, { count: 600, seed: 'test', end: END, pricing });

  it('is the same for the same seed, and different for another', () => {
    expect(generateOrderHistory(products, { count: 600, seed: 'test', end: END, pricing })).toEqual(history);
    expect(
      generateOrderHistory(products, { count: 600, seed: 'other', end: END, pricing }).orders,
    ).not.toEqual(history.orders);
  });

  it('writes valid orders over the last 90 days, with integer money and lifecycle events', () => {
    expect(history.orders).toHaveLength(600);
    for (const order of history.orders) {
      expect(orderItemSchema.parse(order)).toEqual(order);
      const at = Date.parse(order.createdAt);
      expect(at).toBeGreaterThanOrEqual(END - 90 * DAY);
      expect(at).toBeLessThanOrEqual(END);
      expect(order.total).toBe(order.subtotal + order.tax + order.shipping);
      expect(order.events[0]!.status).toBe('PENDING_PAYMENT');
    }
    const placed = history.events.filter((event) => event.type === 'OrderPlaced');
    expect(placed).toHaveLength(600);
    for (const event of history.events) {
      expect(eventEnvelopeSchema.parse(event)).toEqual(event);
      // The payload is what orders' contract promises its consumers.
      expect(orderEventPayloadSchemas[event.type].parse(event.payload)).toEqual(event.payload);
    }
    // Orders older than four days were delivered.
    expect(
      history.orders
        .filter((o) => Date.parse(o.createdAt) < END - 5 * DAY)
        .every((o) => o.status === 'DELIVERED'),
    ).toBe(true);
  });

  it('gives shoppers category affinities', () => {
    let inFavorites = 0;
    let lines = 0;
    const favorites = new Map(history.shoppers.map((s) => [s.userId, new Set(s.favoriteCategories)]));
    for (const order of history.orders) {
      for (const line of order.lines) {
        lines += 1;
        if (favorites.get(order.userId)!.has(categoryOf.get(line.productId)!)) inFavorites += 1;
      }
    }
    // Uniform buying would put about 2.3 / 6 = 38% of lines in a shopper's favourite categories
    // (companions from complementary categories dilute the 85% of chosen items).
    expect(inFavorites / lines).toBeGreaterThan(0.6);
  });

  it('has products bought together across categories far more often than chance', () => {
    const pairs = new Map<string, number>();
    for (const order of history.orders) {
      const ids = order.lines.map((line) => line.productId).sort();
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          if (categoryOf.get(ids[i]!) === categoryOf.get(ids[j]!)) continue;
          const key = `${ids[i]}|${ids[j]}`;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
    }
    // With 120 products, a given cross-category pair shows up together by chance rarely;
    // companions make some pairs recur many times.
    expect(Math.max(...pairs.values())).toBeGreaterThanOrEqual(5);
  });
});

describe('seedOrderHistory on DynamoDB Local', () => {
  let dynamo: TestDynamoDb;
  let data: OrdersData;
  const prefix = () => `${dynamo.tablePrefix}seed-test-`;
  const config = () => ({
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_TABLE_PREFIX: prefix(),
  });

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    const client = createDocumentClient(config());
    await ensureTables(client, prefix(), [productsTables.products]);
    for (const product of products.slice(0, 40))
      await client.send(
        new PutCommand({ TableName: `${prefix()}products`, Item: { ...product, name: product.id, stock: 5 } }),
      );
    client.destroy();
    data = await openOrdersData(config());
  });

  afterAll(async () => {
    data?.close();
    await dynamo?.stop();
  });

  it('writes orders and their outbox events, which the relay publishes to the bus; once only', async () => {
    const written = await seedOrderHistory(data, { count: 30, seed: 'load', end: END, pricing });
    expect(written).toBe(30);
    expect(await seedOrderHistory(data, { count: 30, seed: 'load', end: END, pricing })).toBe(0);

    const bus = new InProcessEventBus();
    const received: EventEnvelope[] = [];
    await bus.subscribe('test', async (event) => {
      received.push(event);
    });
    const relay = new OutboxRelay(data.outbox, bus, createLogger('seed-test', 'silent'));
    while ((await relay.relayOnce()) > 0);
    await bus.close();
    const placed = received.filter((event) => event.type === 'OrderPlaced');
    expect(new Set(placed.map((event) => event.orderId)).size).toBe(30);
    // Each order's events arrive in lifecycle order.
    const firstOf = new Map<string, string>();
    for (const event of received) if (!firstOf.has(event.orderId)) firstOf.set(event.orderId, event.type);
    expect([...firstOf.values()].every((type) => type === 'OrderPlaced')).toBe(true);
    const order = await data.orders.get(placed[0]!.orderId);
    expect(order?.lines.length).toBeGreaterThan(0);
  });

  it('seeds in the background once the catalog stops growing, and stops when asked', async () => {
    const other = {
      ...data,
      tables: {
        ...data.tables,
        orders: `${prefix()}orders-bg`,
        outbox: `${prefix()}outbox-bg`,
        idempotency: `${prefix()}idempotency-bg`, // where the seed keeps its progress
      },
    };
    const client = createDocumentClient(config());
    await ensureTables(client, prefix(), [
      { ...ordersTables.orders, suffix: 'orders-bg' },
      { ...ordersTables.orderOutbox, suffix: 'outbox-bg' },
      { ...ordersTables.checkoutIdempotency, suffix: 'idempotency-bg' },
    ]);
    client.destroy();
    const log = createLogger('seed-test', 'silent');
    // Stopped before the catalog was seen twice: nothing is written.
    await seedOrderHistoryInBackground(other, { count: 10, end: END, pricing, log }).stop();
    const history = new HistoryImport(data.client, other.tables);
    expect(await history.hasOrders()).toBe(false);

    const seeding = seedOrderHistoryInBackground(other, { count: 10, end: END, pricing, log });
    try {
      for (let i = 0; i < 100 && !(await history.hasOrders()); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await history.hasOrders()).toBe(true);
    } finally {
      await seeding.stop();
    }
  });
});

describe('an interrupted order history seed', () => {
  let dynamo: TestDynamoDb;
  /** `prefix` under the test's own prefix in the run's DynamoDB Local. */
  const config = (prefix: string) => ({
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_TABLE_PREFIX: `${dynamo.tablePrefix}${prefix}`,
  });
  const opened: OrdersData[] = [];
  /** The orders tables under `prefix`, over one shared catalog. */
  const openAt = async (prefix: string): Promise<OrdersData> => {
    const data = await openOrdersData(config(prefix));
    opened.push(data);
    return { ...data, tables: { ...data.tables, products: `${dynamo.tablePrefix}catalog-products` } };
  };
  const log = createLogger('seed-test', 'silent');
  const COUNT = 40;
  const plan = { count: COUNT, seed: 'resume', end: END, pricing };

  async function scanAll(client: DynamoDBDocumentClient, table: string) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
  const byKey = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a[key]).localeCompare(String(b[key]));
  /** What a history is: its orders, and its events as the bus will carry them (not whether they were sent). */
  async function historyIn(data: OrdersData) {
    const orders = (await scanAll(data.client, data.tables.orders)).sort(byKey('id'));
    const events = (await scanAll(data.client, data.tables.outbox))
      .map(({ eventId, type, orderId, userId, occurredAt, payload, sequence }) => ({
        eventId, type, orderId, userId, occurredAt, payload, sequence,
      }))
      .sort(byKey('eventId'));
    return { orders, events };
  }
  /** Publishes the whole outbox, as a running service's relay would. */
  async function relayAll(data: OrdersData) {
    const bus = new InProcessEventBus();
    const relay = new OutboxRelay(data.outbox, bus, log);
    while ((await relay.relayOnce()) > 0);
    await bus.close();
  }
  /** Seeds until `stopAfter` orders are written, then aborts between chunks as a shutdown does. */
  async function seedInterrupted(data: OrdersData, stopAfter: number) {
    const controller = new AbortController();
    return seedOrderHistory(data, {
      ...plan,
      signal: controller.signal,
      onProgress: (written) => {
        if (written >= stopAfter) controller.abort();
      },
    });
  }

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    const client = createDocumentClient(config('catalog-'));
    await ensureTables(client, `${dynamo.tablePrefix}catalog-`, [productsTables.products]);
    for (const product of products.slice(0, 40))
      await client.send(
        new PutCommand({ TableName: `${dynamo.tablePrefix}catalog-products`, Item: { ...product, name: product.id, stock: 5 } }),
      );
    client.destroy();
  });

  afterAll(async () => {
    for (const data of opened) data.close();
    await dynamo?.stop();
  });

  it('is finished by the next run: the history of an uninterrupted seed, no order twice, no event made unsent again', async () => {
    const whole = await openAt('whole-');
    expect(await seedOrderHistory(whole, plan)).toBe(COUNT);
    const expected = await historyIn(whole);
    expect(expected.orders).toHaveLength(COUNT);

    const resumed = await openAt('resumed-');
    expect(await seedInterrupted(resumed, 15)).toBe(15);
    expect((await historyIn(resumed)).orders).toHaveLength(15);
    await relayAll(resumed);
    const publishedBefore = new Set((await scanAll(resumed.client, resumed.tables.outbox)).map((item) => item.eventId));
    // A process killed inside its last chunk: the chunk's items are there, the progress is not.
    await resumed.client.send(
      new UpdateCommand({
        TableName: resumed.tables.idempotency,
        Key: { key: 'seed#order-history' },
        UpdateExpression: 'SET written = :written',
        ExpressionAttributeValues: { ':written': 10 },
      }),
    );

    // The next start, a day later and configured differently, finishes what the first one began.
    const later = await seedOrderHistory(resumed, { count: 99, seed: 'other', end: END + DAY, pricing });
    expect(later).toBe(COUNT - 10);
    expect(await seedOrderHistory(resumed, plan)).toBe(0);
    expect(await historyIn(resumed)).toEqual(expected);
    // Events published before the interruption stay published: none reaches the bus twice.
    const unsent = (await scanAll(resumed.client, resumed.tables.outbox)).filter((item) => item.unsent);
    expect(unsent.filter((item) => publishedBefore.has(item.eventId))).toEqual([]);
    expect(unsent.length + publishedBefore.size).toBe(expected.events.length);
  });

  it('is finished in the background by the next service start, which used to stop at the first order', async () => {
    const whole = await openAt('whole-');
    const expected = await historyIn(whole);
    const resumed = await openAt('background-');
    expect(await seedInterrupted(resumed, 5)).toBe(5);
    expect(await new HistoryImport(resumed.client, resumed.tables).hasOrders()).toBe(true);

    const seeding = seedOrderHistoryInBackground(resumed, { count: COUNT, pricing, log });
    try {
      const history = new HistoryImport(resumed.client, resumed.tables);
      // Generous: only bounds a failing run.
      const deadline = Date.now() + 60_000;
      while ((await history.progress())!.written < COUNT && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await history.progress())!.written).toBe(COUNT);
    } finally {
      await seeding.stop();
    }
    expect(await historyIn(resumed)).toEqual(expected);
  });
});
