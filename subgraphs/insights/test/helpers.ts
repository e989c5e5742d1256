// Shared by the insights gateway tests: callers, products and checkouts come from the orders
// subgraph's test helpers (the same gateway calls a client makes).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  dynamoConfigSchema,
  loadConfig,
  tableDefinitions,
  tableName,
} from '@cloudmart/runtime';
import type { TestSupergraph } from '@cloudmart/test-kit';
import { orderItemSchema, type OrderItem } from '../../orders/src/data/items';

export {
  addToCart,
  checkout,
  createProduct,
  dataOf,
  gql,
  mintCaller,
  scanTable,
  viaGateway,
  type Caller,
} from '../../orders/test/helpers';

/** Writes orders into the orders table as the orders subgraph stores them (checked by its schema). */
export async function putOrders(graph: TestSupergraph, orders: OrderItem[]): Promise<void> {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    for (const order of orders) {
      await client.send(
        new PutCommand({
          TableName: tableName(config.DYNAMODB_TABLE_PREFIX, tableDefinitions.orders),
          Item: orderItemSchema.parse(order),
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

/** Polls until `check` resolves true; fails naming `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const DAY_MS = 86_400_000;
export const utcDay = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
