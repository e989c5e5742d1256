// Read-only access to the orders subgraph's orders table, for the backfill: a paginated Scan.
// Only the attributes the warehouse needs are read, and they are checked at the boundary.
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

export class OrderHistoryReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
