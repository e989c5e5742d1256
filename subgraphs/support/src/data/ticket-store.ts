import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ticketItemSchema, type TicketItem, type TicketStatus } from './items';

/** Support tickets, listed per user (byUser) and per status for the admin queue (byStatus). */
export class TicketStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(ticket: TicketItem): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: ticket,
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async get(id: string): Promise<TicketItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
    );
    return Item ? ticketItemSchema.parse(Item) : null;
  }

  /** The user's newest tickets first (the index is eventually consistent). */
  async listByUser(userId: string, limit: number): Promise<TicketItem[]> {
    return this.query('byUser', 'userId', userId, limit, false);
  }

  /** Tickets in a status, oldest first: the admin queue. */
  async listByStatus(status: TicketStatus, limit: number): Promise<TicketItem[]> {
    return this.query('byStatus', 'status', status, limit, true);
  }

  private async query(index: string, key: string, value: string, limit: number, ascending: boolean) {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': key },
        ExpressionAttributeValues: { ':value': value },
        ScanIndexForward: ascending,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ticketItemSchema.parse(item));
  }
}
