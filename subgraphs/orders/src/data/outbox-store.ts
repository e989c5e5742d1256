// The outbox table as the relay sees it: the backlog of unsent events, oldest first, and marking
// them sent. Items are written by order-store.ts in the same transactions as the order changes.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventEnvelopeSchema, type EventEnvelope } from '@cloudmart/runtime';

/** The `unsent` index's one partition value: present on an item until it is published. */
export const UNSENT = 'UNSENT';
const UNSENT_INDEX = 'unsent';
/** How many items mark-sent updates run at once. */
const MARK_CONCURRENCY = 25;

export interface UnsentEvent {
  event: EventEnvelope;
  sequence: string;
}

export class OutboxStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Up to `limit` unsent events, oldest first. The index is eventually consistent: an item just
   * marked sent may still show up (and be published again: at least once), never the reverse
   * for long, so nothing is skipped.
   */
  async unsent(limit: number): Promise<UnsentEvent[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: UNSENT_INDEX,
        KeyConditionExpression: 'unsent = :unsent',
        ExpressionAttributeValues: { ':unsent': UNSENT },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    // Parsing strips the outbox's own attributes: only the envelope goes on the bus.
    return (page.Items ?? []).map((item) => ({
      event: eventEnvelopeSchema.parse(item),
      sequence: String(item.sequence ?? ''),
    }));
  }

  /** Marks events sent (removing them from the backlog); one already marked by another relay is fine. */
  async markSent(eventIds: readonly string[], sentAt: string): Promise<void> {
    for (let start = 0; start < eventIds.length; start += MARK_CONCURRENCY) {
      await Promise.all(eventIds.slice(start, start + MARK_CONCURRENCY).map((id) => this.markOne(id, sentAt)));
    }
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
