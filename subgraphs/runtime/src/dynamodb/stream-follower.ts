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
import type { Logger } from '../logger';
import type { DynamoConfig } from './client';

export type { StreamRecord };

export interface StreamFollowerOptions {
  config: DynamoConfig;
  dynamo: DynamoDBDocumentClient;
  /** The table whose stream is followed (its definition must turn the stream on). */
  table: string;
  pollMs: number;
  log: Logger;
  /** The records of one GetRecords call on one shard, in the shard's order. */
  onRecords(records: StreamRecord[]): void;
  /**
   * Records may have been lost (trimmed after 24 h, an iterator expired) or the stream was only
   * just opened by start(): catch up from the table itself.
   */
  onResync(): Promise<void>;
}

/** Shards are rediscovered this often even when none closes, to pick up splits. */
const DISCOVERY_INTERVAL_MS = 30_000;

/**
 * Follows a table's DynamoDB stream, so a process sees every writer's changes and not only its
 * own. It polls GetRecords on every open shard; when a shard closes or splits, it discovers the
 * children (read from their start, so nothing between is missed). If records were lost, it opens
 * the stream again and asks for a resync instead of drifting.
 *
 * `open()` takes LATEST iterators: a caller that opens *before* it scans the table sees every
 * change made during the scan in the stream too (applying one twice must be harmless). `start()`
 * opens by itself when the caller did not, retrying while the table does not exist yet (its
 * owner creates it and may start after the follower), then resyncs.
 */
export class DynamoStreamFollower {
  private readonly streams: DynamoDBStreamsClient;
  private streamArn?: string;
  private opened = false;
  private readonly iterators = new Map<string, string>();
  private readonly knownShards = new Set<string>();
  private lastDiscovery = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: StreamFollowerOptions) {
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
    this.opened = false;
    const { Table } = await this.options.dynamo.send(
      new DescribeTableCommand({ TableName: this.options.table }),
    );
    if (!Table?.LatestStreamArn) throw new Error(`Table ${this.options.table} has no stream (yet)`);
    this.streamArn = Table.LatestStreamArn;
    this.iterators.clear();
    this.knownShards.clear();
    for (const shard of await this.shards()) {
      this.knownShards.add(shard.ShardId!);
      // Closed shards hold only history the caller's scan already reflects.
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      await this.addIterator(shard.ShardId!, 'LATEST');
    }
    this.lastDiscovery = Date.now();
    this.opened = true;
  }

  /** Polls every pollMs until stopped; a failed round is logged and the next one tries again. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = (async () => {
        if (!this.opened) await this.reopen();
        await this.poll();
      })()
        .catch((error: unknown) => {
          // Before the stream is open this is the wait for the table's owner to create it.
          const level = this.opened ? 'error' : 'warn';
          this.options.log[level](
            { err: error, table: this.options.table },
            'following the table stream failed; retrying',
          );
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs);
        });
    };
    if (this.opened) this.timer = setTimeout(tick, this.options.pollMs);
    else tick();
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
        if (result.Records?.length) this.options.onRecords(result.Records);
        if (result.NextShardIterator) this.iterators.set(shardId, result.NextShardIterator);
        else {
          this.iterators.delete(shardId);
          shardClosed = true;
        }
      } catch (error) {
        if (error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException) {
          this.options.log.warn(
            { err: error, shardId, table: this.options.table },
            'table stream position lost; resyncing from the table',
          );
          await this.reopen();
          return;
        }
        throw error;
      }
    }
    if (shardClosed || Date.now() - this.lastDiscovery > DISCOVERY_INTERVAL_MS) await this.discover();
  }

  /** New positions first, then the resync: nothing written in between can be missed. */
  private async reopen(): Promise<void> {
    await this.open();
    await this.options.onResync();
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
}
