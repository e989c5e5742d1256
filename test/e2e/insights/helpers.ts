// For the insights scenario: orders written straight into the orders table, as the orders
// subgraph stores them (checked by its schema), for the backfill to load as history.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, dynamoConfigSchema, loadConfig, tableName } from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { orderItemSchema, type OrderItem } from '@cloudmart/orders/table-items';
import type { TestSupergraph } from '@cloudmart/test-kit';

/** Writes orders into the orders table as the orders subgraph stores them (checked by its schema). */
export async function putOrders(graph: TestSupergraph, orders: OrderItem[]): Promise<void> {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    for (const order of orders) {
      await client.send(
        new PutCommand({
          TableName: tableName(config.DYNAMODB_TABLE_PREFIX, ordersTables.orders),
          Item: orderItemSchema.parse(order),
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

export const DAY_MS = 86_400_000;
export const utcDay = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
