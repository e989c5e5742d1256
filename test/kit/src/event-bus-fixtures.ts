// Event bus adapters for tests: the in-process log, the file log, Kafka through librdkafka's mock cluster, and a
// real cluster when KAFKA_BROKERS is set. Each test gets a topic of its own.
import { randomUUID } from 'node:crypto';
import { FileLogEventBus, InProcessEventBus, KafkaEventBus, loadKafkaClient, type EventBus, type EventEnvelope } from '@cloudmart/runtime';
import { makeTempDir } from '@cloudmart/scripts/local';
import { startKafkaMock, type KafkaMock } from '@cloudmart/scripts/local';

export interface BusFixture {
  /** A new bus client on a fresh topic each time newTopic() is called. */
  newTopic(): Promise<string>;
  bus(topic: string): EventBus;
  stop(): Promise<void>;
}

export interface BusAdapter {
  name: string;
  start(): Promise<BusFixture>;
}

const PARTITIONS = 3;
// Short session timeouts so a stopped consumer's partitions move to the next one quickly.
const kafkaTestOptions = { clientId: 'cloudmart-test', sessionTimeoutMs: 6_000, fetchMaxWaitMs: 100 };

export const inProcessAdapter: BusAdapter = {
  name: 'in-process log',
  start: async () => {
    // One log per topic, as Kafka keeps one per topic; the instance is shared by a topic's clients.
    const buses = new Map<string, InProcessEventBus>();
    return {
      newTopic: async () => {
        const topic = `test-${randomUUID()}`;
        buses.set(topic, new InProcessEventBus());
        return topic;
      },
      bus: (topic) => buses.get(topic)!.client(),
      stop: async () => {
        await Promise.all([...buses.values()].map((bus) => bus.close()));
      },
    };
  },
};

export const fileLogAdapter: BusAdapter = {
  name: 'file log',
  start: async () => {
    const temp = makeTempDir('event-log');
    return {
      newTopic: async () => `test-${randomUUID()}`,
      // A new instance per client, as separate processes would open the same files.
      bus: (topic) => new FileLogEventBus({ dir: temp.dir, topic }),
      stop: async () => temp.remove(),
    };
  },
};

export const kafkaMockAdapter: BusAdapter = {
  name: 'Kafka (librdkafka mock cluster)',
  start: async () => {
    const mock: KafkaMock = startKafkaMock();
    return {
      newTopic: async () => {
        const topic = `test-${randomUUID()}`;
        mock.createTopic(topic, PARTITIONS);
        return topic;
      },
      bus: (topic) => new KafkaEventBus({ ...kafkaTestOptions, brokers: mock.brokers, topic }),
      stop: async () => mock.stop(),
    };
  },
};

export const realKafkaAdapter = (brokers: string[]): BusAdapter => ({
  name: `Kafka at ${brokers.join(',')}`,
  start: async () => {
    const { KafkaJS } = loadKafkaClient();
    const admin = new KafkaJS.Kafka({ kafkaJS: { clientId: 'cloudmart-test', brokers, logLevel: KafkaJS.logLevel.NOTHING } }).admin();
    await admin.connect();
    const topics: string[] = [];
    return {
      newTopic: async () => {
        const topic = `cloudmart-test-${randomUUID()}`;
        await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
        topics.push(topic);
        return topic;
      },
      bus: (topic) => new KafkaEventBus({ ...kafkaTestOptions, brokers, topic }),
      stop: async () => {
        await admin.deleteTopics({ topics }).catch(() => undefined); // best effort: test topics only
        await admin.disconnect();
      },
    };
  },
});

/** The adapters every bus test runs on: a real cluster's only when KAFKA_BROKERS is set. */
export function busAdapters(env: NodeJS.ProcessEnv = process.env): BusAdapter[] {
  const brokers = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  return [inProcessAdapter, fileLogAdapter, kafkaMockAdapter, ...(brokers.length > 0 ? [realKafkaAdapter(brokers)] : [])];
}

let sequence = 0;
/** An event for order `orderId`; `payload.n` numbers it so order can be checked. */
export function testEvent(orderId: string, n: number): EventEnvelope {
  return {
    eventId: `${orderId}-${n}-${++sequence}`,
    type: 'OrderStatusChanged',
    version: 1,
    orderId,
    userId: 'user-1',
    occurredAt: new Date().toISOString(),
    payload: { n },
  };
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`, which only bounds a failing test (see eventually). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
