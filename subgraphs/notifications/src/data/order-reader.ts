// Read-only access to two tables of other subgraphs, as their contracts allow: the orders table
// (@cloudmart/orders/contract: an order's number, lines, totals and shipping address id) and the
// products table (@cloudmart/products/contract: product names). Only the attributes a message
// needs are read, and they are checked at the boundary.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { batchGetAll, getItem } from '@cloudmart/runtime';

const orderSchema = z.object({
  id: z.string(),
  number: z.string(),
  userId: z.string(),
  currency: z.string(),
  lines: z.array(z.object({ productId: z.string(), quantity: z.number().int(), unitPrice: z.number().int() })),
  subtotal: z.number().int(),
  tax: z.number().int(),
  shipping: z.number().int(),
  total: z.number().int(),
  shippingAddressId: z.string().optional(),
  createdAt: z.string(),
});
export type OrderFacts = z.infer<typeof orderSchema>;

export class OrderReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly ordersTable: string,
    private readonly productsTable: string,
  ) {}

  /** The order, read consistently (its event may come right after it was written); null when absent. */
  order(orderId: string): Promise<OrderFacts | null> {
    return getItem(this.client, this.ordersTable, { id: orderId }, orderSchema);
  }

  /** Products' names by id; a product since deleted is absent. */
  async productNames(productIds: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.client,
      this.productsTable,
      [...new Set(productIds)].map((id) => ({ id })),
      { projection: { expression: '#id, #name', names: { '#id': 'id', '#name': 'name' } } },
    );
    const names = new Map<string, string>();
    for (const item of items) if (typeof item.id === 'string' && typeof item.name === 'string') names.set(item.id, item.name);
    return names;
  }
}
