// The Kafka adapter of the event bus, on Confluent's client (@confluentinc/kafka-javascript:
// librdkafka, through its KafkaJS-compatible API; loaded only when a Kafka bus is created, see
// kafka-client.ts). Messages are keyed by the topic's key (orderId on orders.events), so the
// default partitioner puts one order's events on one partition, in order. The producer is
// idempotent (enable.idempotence: acks from all in-sync replicas, and the broker drops a retried
// batch it already has, in order), so consumers' eventId de-duplication is a second line of
// defence. The topic is provisioned with the cluster (infrastructure), not created here.
import type { KafkaJS, LibrdKafkaError, TopicPartition, TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import type { Logger } from 'pino';
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from './event-bus';
import { orderEventsTopic, type EventEnvelope, type TopicSpec } from './envelope';
import { loadKafkaClient } from './kafka-client';
import { mskIamTokenRefresh, type MskIamOptions, type OAuthBearerToken } from './msk-iam';

export interface KafkaEventBusOptions<E = EventEnvelope> {
  brokers: string[];
  clientId: string;
  /** The topic's name; default the spec's name. */
  topic?: string;
  /** How messages are read and keyed; default the order events (orders.events, keyed by orderId). */
  spec?: TopicSpec<E>;
  log?: Logger;
  /** Amazon MSK's IAM authentication (SASL/OAUTHBEARER over TLS); unset: plaintext, no SASL. */
  mskIam?: MskIamOptions;
  /**
   * How long publish() keeps trying before it rejects (librdkafka's message.timeout.ms). Kept
   * short by default: the outbox relay retries on its next tick, and events wait safely in the
   * outbox meanwhile.
   */
  publishTimeoutMs?: number;
  /** Consumer group session timeout; tests shorten it so rebalances after a stop are quick. */
  sessionTimeoutMs?: number;
  /** How long a fetch waits for new events (default 500 ms); tests shorten it. */
  fetchMaxWaitMs?: number;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
/** Offsets of handled events are committed this often, and when a consumer stops. */
const COMMIT_INTERVAL_MS = 1_000;
/** How long subscribe() waits for its consumer to start before it resolves and lets it keep trying. */
const START_WAIT_MS = 5_000;
/** Bounds each metadata, offsets and group request of lag(), subscribe() and stop(). */
const REQUEST_TIMEOUT_MS = 10_000;

type Consumer = KafkaJS.Consumer;
type Producer = KafkaJS.Producer;
type OffsetsClient = InstanceType<ReturnType<typeof loadKafkaClient>['KafkaConsumer']>;

/** The same log line is written at most once in this interval: during an outage librdkafka repeats itself many times a second. */
const LOG_REPEAT_INTERVAL_MS = 60_000;

/** librdkafka's log lines go to our pino logger (warnings and worse, repeats dropped), or nowhere without one. */
function kafkaLogger(log: Logger | undefined): KafkaJS.Logger {
  const lastWritten = new Map<string, number>();
  const unlessRepeated = (write: (extra: object, message: string) => void) => (message: string, extra?: object) => {
    const now = Date.now();
    if (now - (lastWritten.get(message) ?? -Infinity) < LOG_REPEAT_INTERVAL_MS) return;
    if (lastWritten.size >= 1_000) lastWritten.clear();
    lastWritten.set(message, now);
    write(extra ?? {}, `kafka: ${message}`);
  };
  const logger: KafkaJS.Logger = {
    error: unlessRepeated((extra, message) => log?.error(extra, message)),
    warn: unlessRepeated((extra, message) => log?.warn(extra, message)),
    info: () => undefined,
    debug: () => undefined,
    namespace: () => logger,
    setLogLevel: () => undefined,
  };
  return logger;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A node-style callback API as a promise. */
function promised<T>(call: (done: (error: LibrdKafkaError | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value))));
}

export class KafkaEventBus<E extends { type: string; version: number } = EventEnvelope> implements EventBus<E> {
  private readonly client = loadKafkaClient();
  private readonly kafka: KafkaJS.Kafka;
  private readonly topic: string;
  private readonly spec: TopicSpec<E>;
  /** librdkafka settings every client of this bus shares: where the brokers are and how to authenticate. */
  private readonly security: Record<string, string | boolean | (() => Promise<OAuthBearerToken>)>;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaEventBusOptions<E>) {
    this.spec = options.spec ?? (orderEventsTopic as unknown as TopicSpec<E>);
    this.topic = options.topic ?? this.spec.name;
    this.security = options.mskIam
      ? {
          'security.protocol': 'sasl_ssl',
          'sasl.mechanisms': 'OAUTHBEARER',
          oauthbearer_token_refresh_cb: mskIamTokenRefresh(options.mskIam),
        }
      : {};
    this.kafka = new this.client.KafkaJS.Kafka({
      ...this.security,
      kafkaJS: {
        clientId: options.clientId,
        brokers: options.brokers,
        connectionTimeout: 3_000,
        logger: kafkaLogger(options.log),
        logLevel: options.log ? this.client.KafkaJS.logLevel.WARN : this.client.KafkaJS.logLevel.NOTHING,
      },
    });
  }

  async publish(events: readonly E[]): Promise<void> {
    if (events.length === 0) return;
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.topic,
      messages: events.map((event) => ({
        key: this.spec.key(event),
        value: JSON.stringify(event),
        // Lets consumers route on type and version without parsing the value.
        headers: { type: event.type, version: String(event.version) },
      })),
    });
  }

  /**
   * Joins `groupId` and delivers each event to `handler`. When the consumer cannot be started (the
   * brokers are away: an outage, or a service starting during one), this resolves anyway after
   * START_WAIT_MS and keeps trying in the background, with a growing pause, until it starts or is
   * stopped: a consumer waits out a broker outage instead of failing or holding up its service's
   * start-up. The lag metric shows what it has not read meanwhile. Once started, librdkafka itself
   * rides out later outages.
   */
  async subscribe(groupId: string, handler: EventHandler<E>, options: SubscribeOptions = {}): Promise<Subscription> {
    let stopped = false;
    let consumer: Consumer | undefined;
    const attempt = async (attempt: number): Promise<boolean> => {
      try {
        const started = await this.startConsumer(groupId, handler, options);
        if (stopped) await started.disconnect();
        else consumer = started;
        if (attempt > 1) this.options.log?.info({ groupId, attempt }, 'joined the consumer group');
        return true;
      } catch (error) {
        this.options.log?.warn({ err: error, groupId, attempt }, 'could not join the consumer group; retrying in the background');
        return false;
      }
    };
    const starting = (async () => {
      for (let n = 1; !stopped; n++) {
        if (n > 1) await delay(Math.min(30_000, 500 * 2 ** Math.min(n - 1, 6)));
        if (!stopped && (await attempt(n))) return;
      }
    })();
    // librdkafka's connect waits up to 30 s for brokers that are away: do not wait that long.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([starting, new Promise((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)))]);
    clearTimeout(timer);
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        this.subscriptions.delete(subscription);
        await consumer?.disconnect(); // commits the offsets of the events handled so far
        if (options.ephemeral) await this.deleteGroup(groupId);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** One attempt: connected, subscribed and running, or disconnected and thrown. */
  private async startConsumer(groupId: string, handler: EventHandler<E>, options: SubscribeOptions): Promise<Consumer> {
    // For `latest`, the positions are taken now, so events published between this call and the
    // group join still arrive: librdkafka alone would resolve "latest" only at its first fetch.
    const startAt = options.from === 'latest' ? await this.newGroupEndOffsets(groupId) : undefined;
    const { ERR__ASSIGN_PARTITIONS } = this.client.CODES.ERRORS;
    let firstAssignment = true;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    const consumer = this.kafka.consumer({
      kafkaJS: {
        groupId,
        // A new group starts at the beginning unless `latest` was asked for.
        fromBeginning: options.from !== 'latest',
        // Offsets are stored only after eachMessage resolves (a handler that throws gets the
        // same event again), then committed every interval and on disconnect: at least once,
        // never skipping.
        autoCommit: true,
        autoCommitInterval: COMMIT_INTERVAL_MS,
        sessionTimeout,
        heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
        maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 500,
      },
      // The first assignment of a `latest` group starts where the topic ended at subscribe time;
      // later ones (a rebalance) resume from the committed offsets as usual.
      rebalance_cb: (error: LibrdKafkaError, assignment: TopicPartition[]): TopicPartitionOffset[] | undefined => {
        if (error.code !== ERR__ASSIGN_PARTITIONS || !firstAssignment) return undefined;
        firstAssignment = false;
        if (!startAt) return undefined;
        return assignment.map((partition) => ({ ...partition, offset: startAt.get(partition.partition) ?? -1 }));
      },
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic] });
      await consumer.run({
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
      return consumer;
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async lag(groupId: string): Promise<number> {
    return this.withOffsetsClient(groupId, async (client) => {
      const partitions = await this.partitionsOf(client);
      const committed = await this.committedOffsets(client, partitions);
      let lag = 0;
      for (const partition of partitions) {
        const { lowOffset, highOffset } = await promised<{ lowOffset: number; highOffset: number }>((done) =>
          client.queryWatermarkOffsets(this.topic, partition, REQUEST_TIMEOUT_MS, done),
        );
        const position = committed.get(partition);
        lag += highOffset - (position !== undefined && position >= 0 ? position : lowOffset);
      }
      return lag;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect();
  }

  /**
   * Best effort: an empty group's offsets also expire with the broker's offsets.retention.minutes.
   * Asked only of a cluster that lists DeleteGroups among its APIs: librdkafka 2.15.1 aborts the
   * process when it destroys a client whose DeleteGroups the broker did not support (as
   * librdkafka's mock cluster, our test broker, does not).
   */
  private async deleteGroup(groupId: string): Promise<void> {
    const apis: string[] = [];
    const admin = new this.client.KafkaJS.Kafka({
      ...this.security,
      debug: 'feature', // logs the brokers' API versions, read below
      kafkaJS: {
        clientId: this.options.clientId,
        brokers: this.options.brokers,
        logLevel: this.client.KafkaJS.logLevel.DEBUG,
        logger: { ...kafkaLogger(undefined), debug: (message: string) => void apis.push(message) },
      },
    }).admin();
    try {
      await admin.connect();
      await admin.fetchOffsets({ groupId, timeout: REQUEST_TIMEOUT_MS }); // any request: the API versions come first
      if (!apis.some((line) => line.includes('ApiKey DeleteGroups'))) {
        this.options.log?.warn({ groupId }, 'the Kafka cluster has no DeleteGroups: an ephemeral group is left to expire');
        return;
      }
      await admin.deleteGroups([groupId], { timeout: REQUEST_TIMEOUT_MS });
    } catch (error) {
      this.options.log?.warn({ err: error, groupId }, 'could not delete an ephemeral consumer group');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** The topic's end offsets by partition, or undefined when the group already has committed ones. */
  private async newGroupEndOffsets(groupId: string): Promise<Map<number, number> | undefined> {
    return this.withOffsetsClient(groupId, async (client) => {
      const partitions = await this.partitionsOf(client);
      const committed = await this.committedOffsets(client, partitions);
      if ([...committed.values()].some((offset) => offset >= 0)) return undefined;
      const ends = new Map<number, number>();
      for (const partition of partitions) {
        const { highOffset } = await promised<{ highOffset: number }>((done) =>
          client.queryWatermarkOffsets(this.topic, partition, REQUEST_TIMEOUT_MS, done),
        );
        ends.set(partition, highOffset);
      }
      return ends;
    });
  }

  /**
   * A short-lived consumer of `groupId` that never joins it, for metadata and offsets. Not the
   * KafkaJS-style admin: its topic offsets go through DescribeTopics, which librdkafka's mock
   * cluster does not answer, while Metadata, ListOffsets and OffsetFetch work everywhere.
   */
  private async withOffsetsClient<T>(groupId: string, use: (client: OffsetsClient) => Promise<T>): Promise<T> {
    const client = new this.client.KafkaConsumer(
      {
        ...this.security,
        'bootstrap.servers': this.options.brokers.join(','),
        'client.id': this.options.clientId,
        'group.id': groupId,
        'enable.auto.commit': false,
        log_level: 0,
      },
      {},
    );
    await promised((done) => client.connect({ timeout: REQUEST_TIMEOUT_MS }, done));
    try {
      return await use(client);
    } finally {
      await new Promise((resolve) => client.disconnect(resolve));
    }
  }

  private async partitionsOf(client: OffsetsClient): Promise<number[]> {
    const metadata = await promised<{ topics: { name: string; partitions: { id: number }[] }[] }>((done) =>
      client.getMetadata({ topic: this.topic, timeout: REQUEST_TIMEOUT_MS }, done),
    );
    return metadata.topics.find(({ name }) => name === this.topic)?.partitions.map(({ id }) => id) ?? [];
  }

  /** The group's committed offset by partition (absent: none committed). */
  private async committedOffsets(client: OffsetsClient, partitions: number[]): Promise<Map<number, number>> {
    const committed = await promised<{ partition: number; offset?: number }[]>((done) =>
      client.committed(
        partitions.map((partition) => ({ topic: this.topic, partition })),
        REQUEST_TIMEOUT_MS,
        done,
      ),
    );
    return new Map(committed.flatMap(({ partition, offset }) => (offset === undefined ? [] : [[partition, offset]])));
  }

  /** Connects on first use, and again after a failed connect (a broker outage at start-up). */
  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        'enable.idempotence': true,
        'message.timeout.ms': this.options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
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
