// A consumer that starts while every broker is away (a service restarted during a bus outage, as
// the soak found insights doing) must not fail: it keeps trying and reads everything once the
// brokers are back. Against librdkafka's mock cluster, whose brokers can be taken down and up.
import { KafkaEventBus } from '@cloudmart/runtime';
import { startKafkaMock, testEvent, waitFor, type KafkaMock } from '@cloudmart/test-kit';
import type { EventEnvelope } from '@cloudmart/runtime';

describe('a Kafka consumer during a broker outage', () => {
  let mock: KafkaMock;
  const buses: KafkaEventBus[] = [];
  beforeAll(() => {
    mock = startKafkaMock({ brokers: 1, topics: { 'orders.events': 2 } });
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    mock.stop();
  });

  const bus = () => {
    const created = new KafkaEventBus({
      brokers: [mock.bootstrapServers],
      clientId: 'outage-test',
      sessionTimeoutMs: 10_000,
    });
    buses.push(created);
    return created;
  };

  it('subscribes while the brokers are down, then reads what is published once they are back', async () => {
    mock.setBrokerDown(1, true);
    const received: EventEnvelope[] = [];
    const subscription = await bus().subscribe('outage-group', async (event) => {
      received.push(event);
    });
    mock.setBrokerDown(1, false);
    const events = [testEvent('order-outage-1', 1), testEvent('order-outage-2', 2)];
    await bus().publish(events);
    await waitFor('both events', () => received.length >= 2, 120_000);
    expect(received.map((event) => event.eventId).sort()).toEqual(events.map((event) => event.eventId).sort());
    await subscription.stop();
  });
});
