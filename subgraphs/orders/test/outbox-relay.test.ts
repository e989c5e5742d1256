// The outbox relay inside the orders subgraph, publishing to Kafka (librdkafka's mock cluster,
// a real Kafka-protocol broker): checkout's events reach a subscriber in per-order order, and a
// broker outage loses nothing — the events wait in the outbox until the broker is back.
import { randomUUID } from 'node:crypto';
import { KafkaEventBus, ORDER_EVENTS_TOPIC, type EventEnvelope } from '@cloudmart/runtime';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  type KafkaMock,
  mintCaller,
  scanTable,
  startKafkaMock,
  startTestSupergraph,
  type TestSupergraph,
  waitFor,
} from '@cloudmart/test-kit';

describe('outbox relay to Kafka', () => {
  let kafka: KafkaMock;
  let graph: TestSupergraph;
  let admin: Caller;
  let consumer: KafkaEventBus;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    kafka = startKafkaMock({ topics: { [ORDER_EVENTS_TOPIC]: 3 } });
    graph = await startTestSupergraph({
      env: { EVENT_BUS: 'kafka', KAFKA_BROKERS: kafka.bootstrapServers },
      only: ['users', 'products', 'payments', 'orders'],
    });
    admin = await mintCaller(graph, 'ADMIN');
    consumer = new KafkaEventBus({ brokers: kafka.brokers, clientId: 'relay-test', sessionTimeoutMs: 6_000, fetchMaxWaitMs: 100 });
    await consumer.subscribe('relay-test', async (event) => {
      received.push(event);
    });
  });
  afterAll(async () => {
    await consumer?.close();
    await graph?.stop();
    kafka?.stop();
  });

  const typesOf = (orderId: string) => {
    const seen = new Set<string>();
    return received
      .filter((event) => event.orderId === orderId && !seen.has(event.eventId) && seen.add(event.eventId))
      .map((event) => event.type);
  };
  /** Waits until every outbox item of these orders has left the backlog (sentAt set, unsent removed). */
  const allSent = async (orderIds: string[]) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const items = (await scanTable(graph, 'orderOutbox')).filter((item) => orderIds.includes(String(item.orderId)));
      if (items.length > 0 && items.every((item) => typeof item.sentAt === 'string' && item.unsent === undefined)) return;
      if (Date.now() > deadline) throw new Error(`outbox items not marked sent: ${JSON.stringify(items)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const placeOrder = async (productId: string, token = 'tok_visa') => {
    const shopper = await mintCaller(graph);
    await addToCart(graph, shopper, productId, 1);
    return dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: token })).checkout;
  };

  it('publishes checkout’s outbox events in order per order, and marks them sent', async () => {
    const productId = await createProduct(graph, admin, { stock: 10 });
    const paid = await placeOrder(productId);
    const declined = await placeOrder(productId, 'tok_chargeDeclined');
    await waitFor('both orders’ events', () => typesOf(paid.id).length === 2 && typesOf(declined.id).length === 2);
    expect(typesOf(paid.id)).toEqual(['OrderPlaced', 'OrderPaid']);
    expect(typesOf(declined.id)).toEqual(['OrderPlaced', 'PaymentDeclined']);
    const envelope = received.find((event) => event.orderId === paid.id)!;
    expect(Object.keys(envelope).sort()).toEqual(['eventId', 'occurredAt', 'orderId', 'payload', 'type', 'userId', 'version']);
    await allSent([paid.id, declined.id]);
  });

  it('keeps events in the outbox while the broker is down and delivers them all once it is back', async () => {
    const productId = await createProduct(graph, admin, { stock: 10 });
    kafka.setBrokerDown(1, true);
    const orders = [await placeOrder(productId), await placeOrder(productId), await placeOrder(productId)];
    // Down for a while: the relay's publishes fail, and its events stay unsent in the outbox.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const waiting = (await scanTable(graph, 'orderOutbox')).filter((item) => orders.some((o) => o.id === item.orderId));
    expect(waiting).toHaveLength(6);
    expect(waiting.every((item) => String(item.unsent).startsWith('UNSENT#') && item.sentAt === undefined)).toBe(true);

    kafka.setBrokerDown(1, false);
    await waitFor('every order’s events', () => orders.every((order) => typesOf(order.id).length === 2), 45_000);
    for (const order of orders) expect(typesOf(order.id)).toEqual(['OrderPlaced', 'OrderPaid']);
    await allSent(orders.map((order) => order.id));
  });
});
