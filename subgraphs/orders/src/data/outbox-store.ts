// The outbox table as the relay sees it: the backlog of unsent events, oldest first, and marking
// them sent. Items are written by order-store.ts in the same transactions as the order changes.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventEnvelopeSchema, shardedValue, shardValues, type EventEnvelope } from '@cloudmart/runtime';
import { ordersTables } from '../contract';

/**
 * The `unsent` index's partition value before sharding, and the prefix of its shards' values
 * (`UNSENT#07`): present on an item until it is published.
 */
export const UNSENT = 'UNSENT';
const UNSENT_INDEX = 'unsent';
const UNSENT_SHARDS = ordersTables.orderOutbox.globalSecondaryIndexes[0].shards;
/**
 * How many item updates (mark sent, move to a shard) run at once: well under the DynamoDB client's
 * 50 sockets, which checkouts share.
 */
const UPDATE_CONCURRENCY = 25;

async function inChunks<T>(items: readonly T[], update: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += UPDATE_CONCURRENCY) {
    await Promise.all(items.slice(start, start + UPDATE_CONCURRENCY).map(update));
  }
}

/** The `unsent` value of an event of this order: its order's shard, so an order's events stay together. */
export const unsentValue = (orderId: string) => shardedValue(UNSENT, orderId, UNSENT_SHARDS);

export interface UnsentEvent {
  event: EventEnvelope;
  sequence: string;
}

export class OutboxStore {
  /** Every partition value of the `unsent` index: the relay reads each. */
  readonly shards: readonly string[] = shardValues(UNSENT, UNSENT_SHARDS);

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Up to `limit` unsent events of one shard, oldest first. The index is eventually consistent: an
   * item just marked sent may still show up (and be published again: at least once), never the
   * reverse for long, so nothing is skipped.
   */
  async unsent(shard: string, limit: number): Promise<UnsentEvent[]> {
    const items = await this.unsentItems(shard, limit);
    // Parsing strips the outbox's own attributes: only the envelope goes on the bus.
    return items.map((item) => ({
      event: eventEnvelopeSchema.parse(item),
      sequence: String(item.sequence ?? ''),
    }));
  }

  /**
   * Moves up to `limit` events written before sharding (`unsent: 'UNSENT'`, from an outbox older
   * than this release or a replica of it still running during a rollout) to their order's shard,
   * where the relay reads them in order with that order's newer events. Returns how many it saw.
   */
  async shardUnshardedBacklog(limit: number): Promise<number> {
    const items = await this.unsentItems(UNSENT, limit);
    await inChunks(items, async (item) => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { eventId: item.eventId },
            UpdateExpression: 'SET unsent = :shard',
            ConditionExpression: 'unsent = :unsharded',
            ExpressionAttributeValues: { ':shard': unsentValue(String(item.orderId)), ':unsharded': UNSENT },
          }),
        );
      } catch (error) {
        // Sent, or moved by another relay, meanwhile.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
    return items.length;
  }

  private async unsentItems(partition: string, limit: number): Promise<Record<string, unknown>[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: UNSENT_INDEX,
        KeyConditionExpression: 'unsent = :unsent',
        ExpressionAttributeValues: { ':unsent': partition },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return page.Items ?? [];
  }

  /** Marks events sent (removing them from the backlog); one already marked by another relay is fine. */
  async markSent(eventIds: readonly string[], sentAt: string): Promise<void> {
    await inChunks(eventIds, (id) => this.markOne(id, sentAt));
  }

  private async markOne(eventId: string, sentAt: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { eventId },
          UpdateExpression: 'SET sentAt = :sentAt REMOVE unsent, unsentOrder',
          ConditionExpression: 'attribute_exists(unsent)',
          ExpressionAttributeValues: { ':sentAt': sentAt },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return; // another relay was first
      throw error;
    }
  }
}
