import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoConfig, Logger } from '@cloudmart/runtime';
import { productItemSchema, type ProductItem } from './items';

export type ProductChange = { type: 'upsert'; item: ProductItem } | { type: 'remove'; id: string };

export interface ProductStreamOptions {
  config: DynamoConfig;
  dynamo: DynamoDBDocumentClient;
  table: string;
  pollMs: number;
  log: Logger;
  onChange(change: ProductChange): void;
  /** Called when records may have been lost (trimmed or expired): reload everything. */
  onResync(): Promise<void>;
}

/** Shards are rediscovered this often even when none closes, to pick up splits. */
const DISCOVERY_INTERVAL_MS = 30_000;

/**
 * Follows the products table's DynamoDB stream, so this process sees every writer's changes —
 * checkout in the orders subgraph decrementing stock, other replicas of this subgraph — and not
 * only its own. It polls GetRecords on every open shard; when a shard closes or splits, it
 * discovers the children (read from their start, so nothing between is missed). If records were
 * lost (trimmed after 24 h, an iterator expired), it asks for a full resync instead of drifting.
 *
 * `open()` takes LATEST iterators *before* the caller scans the table, so a change made during the
 * scan is in the stream too; the index's version check makes applying it twice harmless.
 */
export class ProductStreamFollower {
  private readonly streams: DynamoDBStreamsClient;
  private streamArn?: string;
  private readonly iterators = new Map<string, string>();
  private readonly knownShards = new Set<string>();
  private lastDiscovery = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: ProductStreamOptions) {
    const { config } = options;
    const local = config.DYNAMODB_ENDPOINT !== undefined;
    this.streams = new DynamoDBStreamsClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      ...(local && !process.env.AWS_ACCESS_KEY_ID
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  }

  async open(): Promise<void> {
    const { Table } = await this.options.dynamo.send(
      new DescribeTableCommand({ TableName: this.options.table }),
    );
    if (!Table?.LatestStreamArn)
      throw new Error(`Table ${this.options.table} has no stream: see tableDefinitions.products`);
    this.streamArn = Table.LatestStreamArn;
    this.iterators.clear();
    this.knownShards.clear();
    for (const shard of await this.shards()) {
      this.knownShards.add(shard.ShardId!);
      // Closed shards hold only history the scan already reflects.
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      await this.addIterator(shard.ShardId!, 'LATEST');
    }
    this.lastDiscovery = Date.now();
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.poll()
        .catch((error: unknown) =>
          this.options.log.error({ err: error }, 'following the products stream failed'),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs);
        });
    };
    this.timer = setTimeout(tick, this.options.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.streams.destroy();
  }

  /** One round: read every open shard once, then look for new shards if one closed or it is time. */
  async poll(): Promise<void> {
    let shardClosed = false;
    for (const [shardId, iterator] of [...this.iterators]) {
      if (this.stopped) return;
      try {
        const result = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
        );
        for (const record of result.Records ?? []) this.apply(record);
        if (result.NextShardIterator) this.iterators.set(shardId, result.NextShardIterator);
        else {
          this.iterators.delete(shardId);
          shardClosed = true;
        }
      } catch (error) {
        if (error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException) {
          this.options.log.warn(
            { err: error, shardId },
            'products stream position lost; rebuilding the search index',
          );
          await this.open();
          await this.options.onResync();
          return;
        }
        throw error;
      }
    }
    if (shardClosed || Date.now() - this.lastDiscovery > DISCOVERY_INTERVAL_MS) await this.discover();
  }

  private async discover(): Promise<void> {
    for (const shard of await this.shards()) {
      if (this.knownShards.has(shard.ShardId!)) continue;
      this.knownShards.add(shard.ShardId!);
      // A shard born after we opened: every record in it is new to us.
      await this.addIterator(shard.ShardId!, 'TRIM_HORIZON');
    }
    this.lastDiscovery = Date.now();
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async addIterator(shardId: string, type: 'LATEST' | 'TRIM_HORIZON') {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type }),
    );
    if (ShardIterator) this.iterators.set(shardId, ShardIterator);
  }

  private apply(record: StreamRecord) {
    const change = record.dynamodb;
    if (record.eventName === 'REMOVE') {
      const id = change?.Keys?.id?.S;
      if (id) this.options.onChange({ type: 'remove', id });
      return;
    }
    if (!change?.NewImage) return;
    const parsed = productItemSchema.safeParse(
      unmarshall(change.NewImage as Parameters<typeof unmarshall>[0]),
    );
    if (parsed.success) this.options.onChange({ type: 'upsert', item: parsed.data });
    else
      this.options.log.error(
        { issues: parsed.error.issues, keys: change.Keys },
        'malformed product in the products stream',
      );
  }
}
