import cluster from 'node:cluster';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter } from 'prom-client';
import { baseConfigSchema, type Logger } from '@cloudmart/runtime';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import type { GatewayContext } from '../context';
import { ClientResolver, type ClientSources } from './clients';
import { fieldUsagePlugin, operationRecorder, type RecordOperation } from './plugin';
import { FieldUsageRecorder } from './recorder';
import { RedisUsageStore } from './redis-store';
import {
  emptySnapshot,
  mergeSnapshots,
  readSnapshotFile,
  writeSnapshotFile,
  type FieldUsageSnapshot,
} from './snapshot';

export type { ClientSources } from './clients';
export { WEB_CLIENT } from './clients';
export { fieldsOf } from './document-fields';
// The parts, for the recording benchmark (bench/field-usage.bench.ts).
export { ClientResolver } from './clients';
export { fieldUsagePlugin, headersOf, operationRecorder } from './plugin';
export type { RecordOperation, ValidatedOperation } from './plugin';
export { FieldUsageRecorder } from './recorder';
export type { ClientUsage, FieldUsageSnapshot, OperationUsage, Usage } from './snapshot';
export { fieldUsageSnapshotSchema, mergeSnapshots } from './snapshot';

/** Where the gateway writes its snapshot unless FIELD_USAGE_FILE says otherwise. */
export const defaultFieldUsageFile = (dataDir: string) => path.join(dataDir, 'usage', 'field-usage.json');

/**
 * The recorded field usage, for `schema:check` and `schema:deprecations`: every replica's, merged,
 * from Redis when `redisUrl` is given; else the file a gateway writes (`file`, by default
 * DATA_DIR/usage/field-usage.json with DATA_DIR from the environment or `.data`).
 */
export async function readFieldUsage(
  options: { file?: string; redisUrl?: string; /** Redis only: the last days read (every day kept by default). */ days?: number } = {},
): Promise<FieldUsageSnapshot> {
  if (options.redisUrl) {
    // Connection errors are also raised by the read itself (maxRetriesPerRequest: 1).
    const store = new RedisUsageStore(options.redisUrl, () => {});
    try {
      return await store.read(options.days);
    } catch (error) {
      throw new Error('field usage: cannot read the counts from Redis', { cause: error });
    } finally {
      await store.close();
    }
  }
  const { DATA_DIR } = baseConfigSchema.pick({ DATA_DIR: true }).parse({ DATA_DIR: process.env.DATA_DIR });
  const file = options.file ?? defaultFieldUsageFile(DATA_DIR);
  return mergeSnapshots([file, ...workerFilesOf(file)].map(readSnapshotFile));
}

/**
 * Without Redis, each gateway worker (GATEWAY_WORKERS) writes its own counts beside the file, so
 * that none overwrites another's; readers add them up.
 */
const workerFile = (file: string, workerId: number) => file.replace(/(\.json)?$/, `.worker-${workerId}.json`);
function workerFilesOf(file: string): string[] {
  const directory = path.dirname(file);
  if (!existsSync(directory)) return [];
  const prefix = `${path.basename(file).replace(/\.json$/, '')}.worker-`;
  return readdirSync(directory)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .map((name) => path.join(directory, name));
}

export interface FieldUsageConfig {
  DATA_DIR: string;
  REDIS_URL?: string;
  FIELD_USAGE: boolean;
  FIELD_USAGE_FILE?: string;
  FIELD_USAGE_FLUSH_SECONDS: number;
  FIELD_USAGE_MAX_CLIENTS: number;
  FIELD_USAGE_MAX_OPERATIONS: number;
  FIELD_USAGE_RETENTION_DAYS: number;
  MAX_DOCUMENT_BYTES: number;
  OPERATION_CACHE_SIZE: number;
}

export interface FieldUsage {
  /** Apollo Server plugins: none when FIELD_USAGE is off. */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** Records a validated operation another transport received (subscriptions); a no-op when off. */
  record: RecordOperation;
  /** This replica's usage as recorded so far. */
  snapshot(): FieldUsageSnapshot;
  /** Sends pending counts to Redis and writes the file now (also done every FIELD_USAGE_FLUSH_SECONDS). */
  flush(): Promise<void>;
  /** A last flush, then the Redis connection is closed. */
  close(): Promise<void>;
}

/**
 * Field usage per client (issue 24): recorded in memory by an Apollo Server plugin, counted in
 * /metrics as cloudmart_graphql_field_usage_total{client,field}, added to Redis every
 * FIELD_USAGE_FLUSH_SECONDS when REDIS_URL is set (every replica's counts merged there), and
 * written to FIELD_USAGE_FILE (default DATA_DIR/usage/field-usage.json) when there is no Redis or
 * when the file is named explicitly.
 */
export function createFieldUsage(
  config: FieldUsageConfig,
  sources: ClientSources,
  metrics: ServiceMetrics,
  log: Logger,
): FieldUsage {
  const recorder = new FieldUsageRecorder({
    maxOperations: config.FIELD_USAGE_MAX_OPERATIONS,
    maxDocumentLength: config.MAX_DOCUMENT_BYTES,
  });
  if (!config.FIELD_USAGE) {
    return {
      plugins: [],
      record: () => {},
      snapshot: () => recorder.snapshot(),
      flush: async () => {},
      close: async () => {},
    };
  }
  const clients = new ClientResolver(sources, config.FIELD_USAGE_MAX_CLIENTS);
  new Counter({
    name: 'cloudmart_graphql_field_usage_total',
    help: 'Operations that used each schema coordinate (Type.field, Type.field(arg), Input.field), per client; header-named clients past FIELD_USAGE_MAX_CLIENTS count as "other"',
    labelNames: ['client', 'field'],
    registers: [metrics.registry],
    // Totals are kept by the recorder and read at scrape time: nothing per field per request.
    collect() {
      this.reset();
      for (const [client, field, count] of recorder.fieldCounts()) this.inc({ client, field }, count);
    },
  });
  const store = config.REDIS_URL
    ? new RedisUsageStore(
        config.REDIS_URL,
        (error) => log.warn({ err: error }, 'redis (field usage) error'),
        config.FIELD_USAGE_RETENTION_DAYS,
      )
    : undefined;
  const sharedFile = config.FIELD_USAGE_FILE ?? (store ? undefined : defaultFieldUsageFile(config.DATA_DIR));
  // With Redis every writer writes the same merged view; without, each worker its own counts.
  const file = sharedFile && !store && cluster.worker ? workerFile(sharedFile, cluster.worker.id) : sharedFile;
  // Without Redis the file is the only record: what it held before this start is kept and added to.
  const baseline = file && !store ? readBaseline(file, log) : emptySnapshot();
  clients.know(Object.keys(baseline.clients));
  store?.clientNames().then(
    (names) => clients.know(names),
    (error: unknown) => log.warn({ err: error }, 'field usage: the recorded client names could not be read from Redis'),
  );
  let written = -1;
  let flushing: Promise<void> | undefined;

  const flushOnce = async () => {
    const version = recorder.version;
    if (store) {
      try {
        await store.add(recorder.increments());
      } catch (error) {
        log.warn({ err: error }, 'field usage: Redis did not take the counts; they are sent with the next flush');
      }
    }
    if (!file || version === written) return;
    try {
      const snapshot = store
        ? await store.read()
        : mergeSnapshots([baseline, recorder.snapshot()], config.FIELD_USAGE_MAX_OPERATIONS);
      writeSnapshotFile(file, snapshot);
      written = version;
    } catch (error) {
      log.warn({ err: error, file }, 'field usage: the snapshot file could not be written');
    }
  };
  const flush = () => (flushing ??= flushOnce().finally(() => (flushing = undefined)));
  const timer = setInterval(() => void flush(), config.FIELD_USAGE_FLUSH_SECONDS * 1_000);
  timer.unref();

  const record = operationRecorder(recorder, clients, config.OPERATION_CACHE_SIZE);
  return {
    plugins: [fieldUsagePlugin(record)],
    record,
    snapshot: () => recorder.snapshot(),
    flush,
    async close() {
      clearInterval(timer);
      await flushing;
      await flush();
      await store?.close();
    },
  };
}

function readBaseline(file: string, log: Logger): FieldUsageSnapshot {
  try {
    return readSnapshotFile(file);
  } catch (error) {
    log.warn({ err: error, file }, 'field usage: the previous snapshot is not readable; counting from zero');
    return emptySnapshot();
  }
}
