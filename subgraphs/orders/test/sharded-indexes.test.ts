// The work-list indexes sharded by order id (one partition key takes at most ~1,000 writes/s;
// docs/capacity.md). The outbox's `unsent`: events of many orders, spread over the shards — some
// written before sharding, under the bare 'UNSENT' value an existing .data/ or an old replica still
// holds — are all delivered by the relay, each order's in its sequence, and all leave the backlog.
// The sweeper's `byPaymentAction`: orders on every shard, and on the bare action, are all found.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, dynamoConfigSchema, loadConfig, shardOf, type EventBus, type EventEnvelope } from '@cloudmart/runtime';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { scanTable } from '@cloudmart/test-kit';
import { openOrdersData, type OrdersData } from '../src/data';
import { outboxItem } from '../src/data/order-store';
import { UNSENT } from '../src/data/outbox-store';
import { outboxEvent } from '../src/domain/events';
import { OutboxRelay } from '../src/workers/outbox-relay';

/** A valid OrderPlaced payload: these tests are about where events are indexed, not what they say. */
const placedPayload = {
  number: 'ORD-TEST',
  currency: 'USD',
  items: [{ productId: 'product-1', quantity: 1, unitPrice: 1_000 }],
  subtotal: 1_000,
  tax: 0,
  shipping: 0,
  total: 1_000,
};

/** Records what is published; nothing subscribes here. */
class RecordingBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  publish(events: readonly EventEnvelope[]): Promise<void> {
    this.published.push(...events);
    return Promise.resolve();
  }
  subscribe(): never {
    throw new Error('not used');
  }
  lag(): Promise<number> {
    return Promise.resolve(0);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const ORDERS = 40;
const EVENTS_PER_ORDER = 4;
const SHARDS = 16;

describe('the sharded work-list indexes', () => {
  let dynamo: TestDynamoDb;
  let env: Record<string, string>;
  let data: OrdersData;

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    env = { DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: `${dynamo.tablePrefix}shards-` };
    data = await openOrdersData(loadConfig(dynamoConfigSchema, env));
  }, 120_000);
  afterAll(async () => {
    data?.close();
    await dynamo?.stop();
  });

  it('delivers unsent events of every shard, and from before sharding, each order’s in its sequence', async () => {
    const base = Date.parse('2026-12-01T00:00:00.000Z');
    const written = new Map<string, string[]>();
    // Orders' events interleave in time; within an order, later changes come later. Some events
    // share a timestamp (one change writing two events), ordered by their sequence alone.
    for (let step = 0; step < EVENTS_PER_ORDER; step++) {
      for (let n = 0; n < ORDERS; n++) {
        const order = { id: `order-${n}`, userId: `user-${n % 7}` };
        const change = step < 2 ? 0 : step - 1;
        const index = step < 2 ? step : 0;
        const at = new Date(base + (step < 2 ? 0 : step) * 60_000 + n * 10).toISOString();
        const event =
          step === 0
            ? outboxEvent('OrderPlaced', order, at, placedPayload)
            : outboxEvent('OrderPaid', order, at, { paymentId: `payment-${n}-${step}`, amount: 1_000, currency: 'USD' });
        const item = outboxItem(event, change, index);
        // A quarter of the orders' first two events were written before sharding.
        if (n % 4 === 0 && step < 2) item.unsent = UNSENT;
        await data.client.send(new PutCommand({ TableName: data.tables.outbox, Item: item }));
        written.set(order.id, [...(written.get(order.id) ?? []), event.eventId]);
      }
    }
    const backlog = await scanTable({ env }, 'orderOutbox');
    const shardsUsed = new Set(backlog.map((item) => String(item.unsent)));
    expect(shardsUsed.has(UNSENT)).toBe(true);
    expect(shardsUsed.size).toBeGreaterThan(SHARDS / 2);
    expect(new Set([...written.keys()].map((id) => shardOf(id, SHARDS))).size).toBeGreaterThan(SHARDS / 2);

    const bus = new RecordingBus();
    // Small batches: every shard takes several ticks, so pages end mid-order.
    const relay = new OutboxRelay(data.outbox, bus, createLogger('shards-test', 'silent'), { batchSize: 3 });
    let ticks = 0;
    while ((await relay.relayOnce()) > 0) ticks += 1;
    expect(ticks).toBeGreaterThan(1);

    for (const [orderId, eventIds] of written) {
      const firstDeliveries: string[] = [];
      for (const event of bus.published)
        if (event.orderId === orderId && !firstDeliveries.includes(event.eventId))
          firstDeliveries.push(event.eventId);
      expect({ orderId, delivered: firstDeliveries }).toEqual({ orderId, delivered: eventIds });
    }
    const after = await scanTable({ env }, 'orderOutbox');
    expect(after).toHaveLength(ORDERS * EVENTS_PER_ORDER);
    expect(after.filter((item) => item.unsent !== undefined || typeof item.sentAt !== 'string')).toEqual([]);
  }, 120_000);

  it('keeps a shard’s events in the outbox when its publish fails, and marks the other shards’ sent', async () => {
    // Two orders on different shards.
    const [failing, passing] = ['fail-a', 'fail-b', 'fail-c', 'fail-d']
      .map((id) => ({ id, shard: shardOf(id, SHARDS) }))
      .filter((order, i, all) => all.findIndex((other) => other.shard === order.shard) === i)
      .map((order) => order.id);
    const at = new Date().toISOString();
    for (const id of [failing!, passing!]) {
      const event = outboxEvent('OrderPlaced', { id, userId: 'user-f' }, at, placedPayload);
      await data.client.send(
        new PutCommand({ TableName: data.tables.outbox, Item: outboxItem(event, 0, 0) }),
      );
    }
    let refuse = true;
    const bus = new RecordingBus();
    const flaky: EventBus = {
      publish: (events) =>
        refuse && events.some((event) => event.orderId === failing)
          ? Promise.reject(new Error('broker unreachable'))
          : bus.publish(events),
      subscribe: () => bus.subscribe(),
      lag: () => bus.lag(),
      close: () => bus.close(),
    };
    const relay = new OutboxRelay(data.outbox, flaky, createLogger('shards-test', 'silent'));
    await expect(relay.relayOnce()).rejects.toThrow('broker unreachable');
    const stateOf = async (orderId: string) =>
      (await scanTable({ env }, 'orderOutbox')).find((item) => item.orderId === orderId)!;
    expect((await stateOf(passing!)).sentAt).toEqual(expect.any(String));
    expect((await stateOf(failing!)).unsent).toMatch(/^UNSENT#\d\d$/);
    refuse = false;
    await relay.relayOnce();
    expect((await stateOf(failing!)).sentAt).toEqual(expect.any(String));
    expect(bus.published.map((event) => event.orderId).sort()).toEqual([failing, passing].sort());
  }, 60_000);

  it('finds the orders awaiting a payment action on every shard of byPaymentAction, and those stored before sharding', async () => {
    const createdAt = '2026-12-01T00:00:00.000Z';
    const order = (id: string, paymentAction: string) => ({
      id,
      number: `N-${id}`,
      userId: 'user-1',
      status: 'PENDING_PAYMENT',
      currency: 'USD',
      lines: [{ productId: 'p-1', quantity: 1, unitPrice: 100 }],
      subtotal: 100,
      tax: 8,
      shipping: 0,
      total: 108,
      events: [{ status: 'PENDING_PAYMENT', at: createdAt }],
      createdAt,
      updatedAt: createdAt,
      paymentAction,
      paymentToken: 'tok_visa',
    });
    const ids = Array.from({ length: 30 }, (_, n) => `sweep-${n}`);
    for (const id of ids)
      await data.client.send(
        new PutCommand({
          TableName: data.tables.orders,
          Item: order(id, `AUTHORIZE#${String(shardOf(id, SHARDS)).padStart(2, '0')}`),
        }),
      );
    // Placed by the previous release.
    await data.client.send(
      new PutCommand({ TableName: data.tables.orders, Item: order('sweep-legacy', 'AUTHORIZE') }),
    );
    const partitions = data.orders.paymentActionPartitions('AUTHORIZE');
    expect(partitions).toHaveLength(SHARDS + 1);
    const found: string[] = [];
    for (const partition of partitions) {
      const page = await data.orders.awaitingPaymentAction('AUTHORIZE', { partition, limit: 100 });
      expect(page.orders.every((swept) => swept.paymentAction === 'AUTHORIZE')).toBe(true);
      found.push(...page.orders.map((swept) => swept.id));
    }
    expect(found.sort()).toEqual([...ids, 'sweep-legacy'].sort());
  }, 60_000);
});
