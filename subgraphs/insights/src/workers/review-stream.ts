// Change data capture for new reviews: follows the products table's DynamoDB stream (the
// products subgraph's; NEW_AND_OLD_IMAGES). Adding a review moves its product's `ratingCount`
// from n to n+1 in the same transaction that stores review number n+1, so every rise of
// ratingCount in the stream names the new reviews by (productId, seq) — no stream on the reviews
// table is needed. Polls GetRecords on every open shard and picks up new shards as they appear.
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
import type { DynamoConfig, Logger } from '@cloudmart/runtime';
import type { ReviewKey } from '../data/review-reader';

export interface ReviewStreamOptions {
  config: DynamoConfig;
  dynamo: DynamoDBDocumentClient;
  /** The products table. */
  table: string;
  pollMs: number;
  log: Logger;
  onNewReviews(keys: ReviewKey[]): void;
  /** Stream records may have been lost (trimmed, iterator expired, or not opened yet): catch up. */
  onResync(): Promise<void>;
}

const DISCOVERY_INTERVAL_MS = 30_000;

/** The reviews a stream record announces: seq from the old ratingCount + 1 to the new one. */
export function newReviewsOf(record: StreamRecord): ReviewKey[] {
  const image = record.dynamodb;
  const productId = image?.Keys?.id?.S;
  const after = Number(image?.NewImage?.ratingCount?.N ?? 0);
  const before = Number(image?.OldImage?.ratingCount?.N ?? 0);
  if (!productId || record.eventName === 'REMOVE' || !(after > before)) return [];
  return Array.from({ length: after - before }, (_, i) => ({ productId, seq: before + i + 1 }));
}

export class ReviewStreamFollower {
  private readonly streams: DynamoDBStreamsClient;
  private streamArn?: string;
  private readonly iterators = new Map<string, string>();
  private readonly knownShards = new Set<string>();
  private lastDiscovery = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: ReviewStreamOptions) {
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

  /**
   * Polls until stopped. Opens the stream first (LATEST positions, then a catch-up pass, so a
   * review written in between is seen by one or the other), retrying while the products table
   * does not exist yet (the products subgraph creates it and may start after this one).
   */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = (async () => {
        if (!this.streamArn) {
          await this.open();
          await this.options.onResync();
        }
        await this.poll();
      })()
        .catch((error: unknown) =>
          this.options.log.warn({ err: error }, 'following the products stream failed; retrying'),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.streams.destroy();
  }

  private async open(): Promise<void> {
    const { Table } = await this.options.dynamo.send(
      new DescribeTableCommand({ TableName: this.options.table }),
    );
    if (!Table?.LatestStreamArn) throw new Error(`Table ${this.options.table} has no stream yet`);
    this.iterators.clear();
    this.knownShards.clear();
    this.streamArn = Table.LatestStreamArn;
    for (const shard of await this.shards()) {
      this.knownShards.add(shard.ShardId!);
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      await this.addIterator(shard.ShardId!, 'LATEST');
    }
    this.lastDiscovery = Date.now();
  }

  private async poll(): Promise<void> {
    let shardClosed = false;
    for (const [shardId, iterator] of [...this.iterators]) {
      if (this.stopped) return;
      try {
        const result = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
        );
        const keys = (result.Records ?? []).flatMap(newReviewsOf);
        if (keys.length > 0) this.options.onNewReviews(keys);
        if (result.NextShardIterator) this.iterators.set(shardId, result.NextShardIterator);
        else {
          this.iterators.delete(shardId);
          shardClosed = true;
        }
      } catch (error) {
        if (error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException) {
          this.options.log.warn(
            { err: error, shardId },
            'products stream position lost; catching up from the reviews table',
          );
          this.streamArn = undefined; // the next tick opens again and catches up
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
