// The order-events consumer and the service on real DynamoDB Local, driven through an
// in-process event bus: history comes from events, survives a restart through the read model,
// and answers never include the product itself, something bought, or anything out of stock.
import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createLogger, ensureTables, InProcessEventBus, type EventEnvelope } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { openRecommendationsData, type RecommendationsData } from '../src/data';
import { OrderEventsConsumer } from '../src/workers/order-events';
import { Recommendations } from '../src/domain/recommendations';
import { LocalRecommender } from '../src/services/recommender/local';

const log = createLogger('recommendations-test', 'silent');
/** The tables' prefix: the run's DynamoDB Local gives each test one of its own. */
let prefix: string;

const products = [
  { id: 'laptop', name: 'Aurora Ultrabook Laptop', category: 'laptops' },
  { id: 'laptop-2', name: 'Nimbus Gaming Laptop', category: 'laptops' },
  { id: 'headphones', name: 'Pulse Wireless Headphones', category: 'headphones' },
  { id: 'mouse', name: 'Glide Wireless Mouse', category: 'laptops' },
  { id: 'tent', name: 'Summit Trail Tent', category: 'outdoor' },
  { id: 'stove', name: 'Basecamp Camp Stove', category: 'outdoor' },
  { id: 'lantern', name: 'Basecamp Camp Lantern', category: 'outdoor' },
];

let dynamo: TestDynamoDb;
let data: RecommendationsData;
const env = () => ({
  AWS_REGION: 'us-east-1',
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  DYNAMODB_TABLE_PREFIX: prefix,
});

beforeAll(async () => {
  dynamo = await startTestDynamoDb();
  prefix = `${dynamo.tablePrefix}recs-test-`;
  const client = createDocumentClient(env());
  await ensureTables(client, prefix, [productsTables.products]);
  for (const product of products) {
    await client.send(
      new PutCommand({
        TableName: `${prefix}products`,
        Item: {
          ...product,
          description: `The ${product.name}.`,
          brand: 'Acme',
          stock: 20,
          priceAmount: 1999,
          currency: 'USD',
        },
      }),
    );
  }
  client.destroy();
  data = await openRecommendationsData(env());
});

afterAll(async () => {
  data?.close();
  await dynamo?.stop();
});

const placed = (userId: string, productIds: string[], orderId = randomUUID()): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'OrderPlaced',
  version: 1,
  orderId,
  userId,
  occurredAt: new Date().toISOString(),
  payload: {
    number: 'CM-1',
    currency: 'USD',
    items: productIds.map((productId) => ({ productId, quantity: 1, unitPrice: 1999 })),
  },
});

const event = (type: string, orderId: string, userId: string): EventEnvelope => ({
  eventId: randomUUID(),
  type,
  version: 1,
  orderId,
  userId,
  occurredAt: new Date().toISOString(),
  payload: {},
});

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

function service() {
  return new Recommendations({
    purchases: data.purchases,
    catalog: data.catalog,
    recommender: new LocalRecommender(),
    log,
    halfLifeDays: 30,
    catalogRefreshMs: 60_000,
  });
}

describe('recommendations from order events', () => {
  const bus = new InProcessEventBus();
  let recommendations: Recommendations;
  let consumer: OrderEventsConsumer;
  const declinedOrder = randomUUID();
  const first = placed('shopper-a', ['laptop', 'headphones']);

  beforeAll(async () => {
    recommendations = service();
    await recommendations.init();
    consumer = new OrderEventsConsumer(bus, data.purchases, (change) => recommendations.apply(change), log);
    await consumer.start();
    await bus.publish([
      first,
      placed('shopper-c', ['laptop', 'headphones', 'mouse']),
      placed('shopper-b', ['tent', 'stove']),
      placed('shopper-d', ['tent', 'stove', 'lantern']),
      placed('shopper-e', ['laptop', 'tent'], declinedOrder),
      event('OrderPaid', first.orderId, 'shopper-a'),
      event('PaymentDeclined', declinedOrder, 'shopper-e'),
    ]);
    await until(() => recommendations.orderCount === 4, 'four counting orders');
  });

  afterAll(async () => {
    await consumer.stop();
    await bus.close();
  });

  it('recommends what was bought together, never the product itself', async () => {
    const forLaptop = (await recommendations.forProduct('laptop', 3)).map((entry) => entry.productId);
    expect(forLaptop[0]).toBe('headphones');
    expect(forLaptop).not.toContain('laptop');
    // The declined order does not count: the tent was never really bought with the laptop.
    const forTent = (await recommendations.forProduct('tent', 6)).map((entry) => entry.productId);
    expect(forTent[0]).toBe('stove');
    expect(forTent.indexOf('laptop')).toBeGreaterThan(forTent.indexOf('lantern'));
  });

  it('gives two shoppers with different histories different recommendations, without what they bought', async () => {
    const forA = (await recommendations.forUser('shopper-a', 3)).map((entry) => entry.productId);
    const forB = (await recommendations.forUser('shopper-b', 3)).map((entry) => entry.productId);
    expect(forA[0]).toBe('mouse'); // bought with a laptop and headphones by shopper-c
    expect(forB[0]).toBe('lantern');
    expect(forA).not.toEqual(forB);
    expect(forA).not.toContain('laptop');
    expect(forB).not.toContain('tent');
  });

  it('never recommends a product that is out of stock, and brings it back when restocked', async () => {
    const setStock = (stock: number) =>
      data.client.send(
        new UpdateCommand({
          TableName: `${prefix}products`,
          Key: { id: 'headphones' },
          UpdateExpression: 'SET stock = :stock',
          ExpressionAttributeValues: { ':stock': stock },
        }),
      );
    await setStock(0);
    try {
      const forLaptop = (await recommendations.forProduct('laptop', 5)).map((entry) => entry.productId);
      expect(forLaptop).not.toContain('headphones');
      expect(forLaptop.length).toBeGreaterThan(0);
    } finally {
      await setStock(20);
    }
    expect((await recommendations.forProduct('laptop', 5))[0]!.productId).toBe('headphones');
  });

  it('refreshes on new events, and ignores a redelivered one', async () => {
    const before = (await recommendations.forUser('shopper-b', 3)).map((entry) => entry.productId);
    const order = placed('shopper-b', ['laptop-2']);
    await bus.publish([order, order]); // at least once: the same event twice
    await until(() => recommendations.orderCount === 5, 'the new order');
    const after = (await recommendations.forUser('shopper-b', 3)).map((entry) => entry.productId);
    expect(after).not.toContain('laptop-2');
    expect(after).not.toEqual(before);
    expect(recommendations.orderCount).toBe(5);
  });

  it('rebuilds from its read model after a restart', async () => {
    const restarted = service();
    await restarted.init();
    expect(restarted.orderCount).toBe(5);
    expect((await restarted.forProduct('laptop', 1))[0]!.productId).toBe('headphones');
  });

  it('lets a replica that received none of the events catch up from the read model', async () => {
    const replica = new Recommendations({
      purchases: data.purchases,
      catalog: data.catalog,
      recommender: new LocalRecommender(),
      log,
      halfLifeDays: 30,
      catalogRefreshMs: 100,
    });
    await replica.init();
    const order = placed('shopper-f', ['lantern', 'mouse']);
    await data.purchases.recordPlaced({
      orderId: order.orderId,
      userId: order.userId,
      at: Date.parse(order.occurredAt),
      productIds: ['lantern', 'mouse'],
    }); // what another replica's consumer wrote
    await new Promise((resolve) => setTimeout(resolve, 150));
    const forF = (await replica.forUser('shopper-f', 3)).map((entry) => entry.productId);
    expect(replica.orderCount).toBe(6);
    expect(forF).not.toContain('lantern');
    expect(forF).not.toContain('mouse');
  });

  it('skips malformed payloads and unknown versions instead of blocking', async () => {
    await consumer.handle({ ...placed('shopper-x', []), payload: { items: 'nope' } });
    await consumer.handle({ ...placed('shopper-x', ['tent']), version: 2 });
    expect(recommendations.orderCount).toBe(5); // this replica has not re-read the table yet
  });
});
