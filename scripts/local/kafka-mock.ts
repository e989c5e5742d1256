// A Kafka-protocol broker for tests: librdkafka's mock cluster, started in this process.
//
// No Kafka or Redpanda broker can be installed on the build machines (see docs in README), but
// librdkafka ships a mock cluster that speaks the real wire protocol (produce, fetch, consumer
// groups, committed offsets, idempotent producers). We reach it through `koffi` (an FFI) over the
// librdkafka that @confluentinc/kafka-javascript built, not Debian's `librdkafka1`: both are
// `librdkafka.so.1`, so once one is loaded the dynamic linker hands it to the other too, and the
// client's addon running on Debian's older 2.0.2 aborts. The client's own mock
// (`test.mock.num.brokers`) cannot take brokers down and up, which outage tests and the soak need.
// Everything lives in memory and goes away with stop().
import path from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { KAFKA_CLIENT_BUILD_HINT } from '@cloudmart/runtime';

export interface KafkaMockOptions {
  /** How many brokers the mock cluster has (default 1). */
  brokers?: number;
  /** Topics to create up front, with their partition counts. */
  topics?: Record<string, number>;
  /**
   * How long a new consumer group waits for more members before its first rebalance (default 0).
   * Kafka's own default, 3 s, lets a group that starts many members at once rebalance once; on a
   * test broker, where groups have a member or two, it only delays every subscribe by 3 s.
   */
  groupInitialRebalanceDelayMs?: number;
}

export interface KafkaMock {
  /** `127.0.0.1:PORT,...`, the bootstrap list a client connects to. */
  bootstrapServers: string;
  brokers: string[];
  createTopic(topic: string, partitions: number): void;
  /** Takes a broker down (connections refused/closed) or back up, keeping its address: an outage. */
  setBrokerDown(brokerId: number, down: boolean): void;
  stop(): void;
}

const RD_KAFKA_PRODUCER = 0;
const ERRSTR_SIZE = 512;

interface Librdkafka {
  confNew: () => unknown;
  confSet: (conf: unknown, name: string, value: string, errstr: Buffer, size: number) => number;
  kafkaNew: (type: number, conf: unknown, errstr: Buffer, size: number) => unknown;
  destroy: (rk: unknown) => void;
  clusterNew: (rk: unknown, brokers: number) => unknown;
  bootstraps: (cluster: unknown) => string;
  topicCreate: (cluster: unknown, topic: string, partitions: number, replication: number) => number;
  groupInitialRebalanceDelay: (cluster: unknown, delayMs: number) => void;
  brokerSetDown: (cluster: unknown, brokerId: number) => number;
  brokerSetUp: (cluster: unknown, brokerId: number) => number;
  clusterDestroy: (cluster: unknown) => void;
  errName: (code: number) => string;
}

let library: Librdkafka | undefined;

/** Loads the client's librdkafka once per process; the message says what to build when it is missing. */
function librdkafka(): Librdkafka {
  if (library) return library;
  let lib: LibraryHandle;
  try {
    const client = path.dirname(path.dirname(require.resolve('@confluentinc/kafka-javascript')));
    lib = koffi.load(path.join(client, 'build', 'deps', 'librdkafka.so.1'));
  } catch (error) {
    throw new Error(`the Kafka mock needs the librdkafka built by @confluentinc/kafka-javascript: ${KAFKA_CLIENT_BUILD_HINT}`, {
      cause: error,
    });
  }
  // Handles are plain `void *`: koffi's named types are process-wide, and jest loads this module
  // afresh for each test file in a worker, so registering names would fail the second time.
  library = {
    confNew: lib.func('void *rd_kafka_conf_new(void)'),
    confSet: lib.func('int rd_kafka_conf_set(void *, const char *, const char *, _Out_ uint8_t *errstr, size_t)'),
    kafkaNew: lib.func('void *rd_kafka_new(int, void *, _Out_ uint8_t *errstr, size_t)'),
    destroy: lib.func('void rd_kafka_destroy(void *)'),
    clusterNew: lib.func('void *rd_kafka_mock_cluster_new(void *, int)'),
    bootstraps: lib.func('const char *rd_kafka_mock_cluster_bootstraps(void *)'),
    topicCreate: lib.func('int rd_kafka_mock_topic_create(void *, const char *, int, int)'),
    groupInitialRebalanceDelay: lib.func('void rd_kafka_mock_group_initial_rebalance_delay_ms(void *, int32_t)'),
    brokerSetDown: lib.func('int rd_kafka_mock_broker_set_down(void *, int32_t)'),
    brokerSetUp: lib.func('int rd_kafka_mock_broker_set_up(void *, int32_t)'),
    clusterDestroy: lib.func('void rd_kafka_mock_cluster_destroy(void *)'),
    errName: lib.func('const char *rd_kafka_err2name(int)'),
  };
  return library;
}

const errorText = (buffer: Buffer) => buffer.toString('utf8', 0, Math.max(0, buffer.indexOf(0)));

/** Starts a mock cluster on 127.0.0.1 (librdkafka's mock brokers listen on loopback only). */
export function startKafkaMock(options: KafkaMockOptions = {}): KafkaMock {
  const rd = librdkafka();
  const errstr = Buffer.alloc(ERRSTR_SIZE);
  const conf = rd.confNew();
  // The mock's own handle logs nothing: test output stays readable; failures surface as client errors.
  rd.confSet(conf, 'log_level', '0', errstr, ERRSTR_SIZE);
  const rk = rd.kafkaNew(RD_KAFKA_PRODUCER, conf, errstr, ERRSTR_SIZE); // takes ownership of conf
  if (!rk) throw new Error(`rd_kafka_new failed: ${errorText(errstr)}`);
  const cluster = rd.clusterNew(rk, options.brokers ?? 1);
  if (!cluster) {
    rd.destroy(rk);
    throw new Error('rd_kafka_mock_cluster_new failed');
  }
  rd.groupInitialRebalanceDelay(cluster, options.groupInitialRebalanceDelayMs ?? 0);
  const bootstrapServers = rd.bootstraps(cluster);
  let stopped = false;
  const check = (what: string, code: number) => {
    if (code !== 0) throw new Error(`${what} failed: ${rd.errName(code)}`);
  };
  const mock: KafkaMock = {
    bootstrapServers,
    brokers: bootstrapServers.split(','),
    createTopic: (topic, partitions) =>
      check(`creating topic ${topic}`, rd.topicCreate(cluster, topic, partitions, 1)),
    setBrokerDown: (brokerId, down) =>
      check(`broker ${brokerId} ${down ? 'down' : 'up'}`, (down ? rd.brokerSetDown : rd.brokerSetUp)(cluster, brokerId)),
    stop: () => {
      if (stopped) return;
      stopped = true;
      rd.clusterDestroy(cluster);
      rd.destroy(rk);
    },
  };
  for (const [topic, partitions] of Object.entries(options.topics ?? {})) mock.createTopic(topic, partitions);
  return mock;
}
