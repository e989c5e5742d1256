// The generated order history: its structure (what makes recommendations learnable) and its
// loading into DynamoDB Local, whose outbox the relay then publishes like any checkout's.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  createLogger,
  ensureTables,
  eventEnvelopeSchema,
  InProcessEventBus,
  startDynamoDbLocal,
  tableDefinitions,
  type DynamoDbLocal,
  type EventEnvelope,
} from '@cloudmart/runtime';
import { openOrdersData, type OrdersData } from '../src/data';
import { orderItemSchema } from '../src/data/items';
import { OutboxRelay } from '../src/relay/outbox-relay';
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
    for (const event of history.events) expect(eventEnvelopeSchema.parse(event)).toEqual(event);
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
  let dynamo: DynamoDbLocal;
  let data: OrdersData;
  const config = () => ({
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_TABLE_PREFIX: 'seed-test-',
  });

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ inMemory: true });
    const client = createDocumentClient(config());
    await ensureTables(client, 'seed-test-', [tableDefinitions.products]);
    for (const product of products.slice(0, 40))
      await client.send(
        new PutCommand({ TableName: 'seed-test-products', Item: { ...product, name: product.id, stock: 5 } }),
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
      tables: { ...data.tables, orders: 'seed-test-orders-bg', outbox: 'seed-test-outbox-bg' },
    };
    const client = createDocumentClient(config());
    await ensureTables(client, 'seed-test-', [
      { ...tableDefinitions.orders, suffix: 'orders-bg' },
      { ...tableDefinitions.orderOutbox, suffix: 'outbox-bg' },
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
