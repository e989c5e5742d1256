// The Kafka adapter of the event bus, on kafkajs (pure JavaScript: nothing to compile or download).
// Messages are keyed by the topic's key (orderId on orders.events), so the default partitioner puts one order's events on one
// partition, in order. Sends wait for all in-sync replicas (acks=-1) with one request in flight, so
// a retried send cannot overtake an earlier one. The producer is not idempotent: kafkajs finds
// the controller for InitProducerId, which librdkafka's mock cluster (our test broker) does not
// report, so that path could not be tested here; a retry may therefore duplicate an event, which
// at-least-once consumers already dedupe on eventId. The topic is provisioned with the cluster
// (infrastructure), not created here.
import { Kafka, Partitioners, logLevel, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from './event-bus';
import { orderEventsTopic, type EventEnvelope, type TopicSpec } from './envelope';

export interface KafkaEventBusOptions<E = EventEnvelope> {
  brokers: string[];
  clientId: string;
  /** The topic's name; default the spec's name. */
  topic?: string;
  /** How messages are read and keyed; default the order events (orders.events, keyed by orderId). */
  spec?: TopicSpec<E>;
  log?: Logger;
  /**
   * How long publish() keeps retrying before it rejects. Kept short by default: the outbox
   * relay retries on its next tick, and events wait safely in the outbox meanwhile.
   */
  retry?: { retries: number; initialRetryTime: number; maxRetryTime: number };
  /** Consumer group session timeout; tests shorten it so rebalances after a stop are quick. */
  sessionTimeoutMs?: number;
  /** How long a fetch waits for new events (kafkajs default 5 s); tests shorten it. */
  fetchMaxWaitMs?: number;
}

const DEFAULT_RETRY = { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 };

/** kafkajs logs go to our pino logger (warnings and worse), or nowhere without one. */
function logCreator(log: Logger | undefined) {
  return () =>
    ({ level, log: entry }: LogEntry) => {
      if (!log) return;
      const { message, ...rest } = entry;
      if (level <= logLevel.ERROR) log.error(rest, `kafka: ${message}`);
      else log.warn(rest, `kafka: ${message}`);
    };
}

export class KafkaEventBus<E extends { type: string; version: number } = EventEnvelope> implements EventBus<E> {
  private readonly kafka: Kafka;
  private readonly topic: string;
  private readonly spec: TopicSpec<E>;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaEventBusOptions<E>) {
    this.spec = options.spec ?? (orderEventsTopic as unknown as TopicSpec<E>);
    this.topic = options.topic ?? this.spec.name;
    const retry = options.retry ?? DEFAULT_RETRY;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry,
      logLevel: options.log ? logLevel.WARN : logLevel.NOTHING,
      logCreator: logCreator(options.log),
    });
  }

  async publish(events: readonly E[]): Promise<void> {
    if (events.length === 0) return;
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: events.map((event) => ({
        key: this.spec.key(event),
        value: JSON.stringify(event),
        // Lets consumers route on type and version without parsing the value.
        headers: { type: event.type, version: String(event.version) },
      })),
    });
  }

  /**
   * Joins `groupId` and delivers each event to `handler`. When the group cannot be joined (the
   * brokers are away: an outage, or a service starting during one), this resolves anyway and keeps
   * trying in the background, with a growing pause, until it joins or is stopped: a consumer
   * waits out a broker outage instead of failing its service's start-up. The lag metric shows
   * what it has not read meanwhile.
   */
  async subscribe(groupId: string, handler: EventHandler<E>, options: SubscribeOptions = {}): Promise<Subscription> {
    let stopped = false;
    let consumer: Consumer | undefined;
    const isStopped = () => stopped;
    try {
      consumer = await this.join(groupId, handler, options, isStopped);
    } catch (error) {
      this.options.log?.warn({ err: error, groupId }, 'could not join the consumer group; retrying in the background');
      void (async () => {
        for (let attempt = 1; !stopped; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))));
          if (stopped) return;
          try {
            consumer = await this.join(groupId, handler, options, isStopped);
            if (stopped) await consumer.disconnect();
            else this.options.log?.info({ groupId, attempt }, 'joined the consumer group');
            return;
          } catch (retryError) {
            this.options.log?.warn({ err: retryError, groupId, attempt }, 'still cannot join the consumer group');
          }
        }
      })();
    }
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        this.subscriptions.delete(subscription);
        await consumer?.disconnect();
        if (options.ephemeral) await this.deleteGroup(groupId);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** One attempt at joining: connected, subscribed, running and assigned, or disconnected and thrown. */
  private async join(
    groupId: string,
    handler: EventHandler<E>,
    options: SubscribeOptions,
    isStopped: () => boolean,
  ): Promise<Consumer> {
    // For `latest`, the positions are taken now, so events published between this call and the
    // group join still arrive: kafkajs alone would resolve "latest" only at its first fetch.
    const startAt = options.from === 'latest' ? await this.newGroupEndOffsets(groupId) : undefined;
    let failed = false;
    const consumer = this.kafka.consumer({
      groupId,
      // kafkajs restarts a crashed consumer (a broker outage) on a timer that disconnect() does not
      // cancel: without this, a consumer that crashed before it was stopped would restart forever.
      retry: { ...(this.options.retry ?? DEFAULT_RETRY), restartOnFailure: async () => !isStopped() && !failed },
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      rebalanceTimeout: this.options.sessionTimeoutMs ?? 60_000,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 5_000,
    });
    try {
      await consumer.connect();
      // A new group starts at the beginning unless `latest` was asked for.
      await consumer.subscribe({ topic: this.topic, fromBeginning: options.from !== 'latest' });
      const joined = new Promise<Record<string, number[]>>((resolve) => {
        const remove = consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          remove();
          resolve(payload.memberAssignment);
        });
      });
      await consumer.run({
        // kafkajs resolves a message's offset only after eachMessage resolves and commits the
        // resolved offsets (every message here, and on stop): at least once, never skipping.
        autoCommitThreshold: 1,
        eachMessage: async ({ message }) => {
          const value = message.value?.toString('utf8') ?? '';
          let event: E;
          try {
            event = this.spec.parse(value);
          } catch (error) {
            // A malformed message would block its partition forever if retried: report and move on.
            this.options.log?.error({ err: error, offset: message.offset }, 'skipping a malformed event');
            return;
          }
          await handler(event);
        },
      });
      const assignment = await withTimeout(joined, 30_000, `joining consumer group ${groupId}`);
      for (const partition of assignment[this.topic] ?? []) {
        const offset = startAt?.get(partition);
        if (offset !== undefined) consumer.seek({ topic: this.topic, partition, offset });
      }
      return consumer;
    } catch (error) {
      failed = true;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async lag(groupId: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [this.topic] });
      const ends = await admin.fetchTopicOffsets(this.topic);
      return ends.reduce((sum, { partition, high, low }) => {
        const position = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        return sum + Number(high) - (position >= 0 ? position : Number(low));
      }, 0);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect();
  }

  /** Best effort: an empty group's offsets also expire with the broker's offsets.retention.minutes. */
  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch (error) {
      this.options.log?.warn({ err: error, groupId }, 'could not delete an ephemeral consumer group');
    } finally {
      await admin.disconnect();
    }
  }

  /** The topic's end offsets by partition, or undefined when the group already has committed ones. */
  private async newGroupEndOffsets(groupId: string): Promise<Map<number, string> | undefined> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: [this.topic] });
      if (committed.some(({ partitions }) => partitions.some(({ offset }) => Number(offset) >= 0))) return undefined;
      const ends = await admin.fetchTopicOffsets(this.topic);
      return new Map(ends.map(({ partition, high }) => [partition, high]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Connects on first use, and again after a failed connect (a broker outage at start-up). */
  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })();
    try {
      return await this.connecting;
    } finally {
      this.connecting = undefined;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
