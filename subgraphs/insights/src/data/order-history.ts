// Read-only access to the orders subgraph's orders table: a paginated Scan for the backfill, and
// one order's lines for the live sales windows (OrderPaid carries none). Only the attributes
// needed are read, and they are checked at the boundary.
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';

export const historicOrderSchema = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.string(),
  currency: z.string(),
  lines: z.array(
    z.object({ productId: z.string(), quantity: z.number().int(), unitPrice: z.number().int() }),
  ),
  subtotal: z.number().int(),
  tax: z.number().int(),
  shipping: z.number().int(),
  total: z.number().int(),
  events: z.array(z.object({ status: z.string(), at: z.string() })),
  createdAt: z.string(),
});

export type HistoricOrder = z.infer<typeof historicOrderSchema>;

const orderLinesSchema = historicOrderSchema.pick({ currency: true, lines: true });
export type OrderLines = z.infer<typeof orderLinesSchema>;

export class OrderHistoryReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** An order's currency and lines (strongly consistent), or undefined for an unknown id. */
  async lines(orderId: string): Promise<OrderLines | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { id: orderId },
        ConsistentRead: true,
        ProjectionExpression: '#currency, #lines',
        ExpressionAttributeNames: { '#currency': 'currency', '#lines': 'lines' },
      }),
    );
    return Item ? orderLinesSchema.parse(Item) : undefined;
  }

  /** Every order, a page (up to `pageSize` items) at a time. */
  async *pages(pageSize = 500): AsyncGenerator<HistoricOrder[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client
        .send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, Limit: pageSize }))
        .catch((error: unknown) => {
          if (error instanceof ResourceNotFoundException) {
            throw new Error(
              `The orders table ${this.table} does not exist: the orders service creates it at start.`,
            );
          }
          throw error;
        });
      yield (page.Items ?? []).map((item) => historicOrderSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
