// What the recommender reads from the products table, read only, as the table's contract allows
// (@cloudmart/products/contract) — the same route the orders subgraph takes for prices and
// stock. The text fields feed content similarity; stock is read again, consistently fresh,
// just before answering, so an out-of-stock product is never recommended.
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@cloudmart/runtime';
import { z } from 'zod';
import type { CatalogProduct } from '../domain/engine/types';

const catalogItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  brand: z.string(),
  category: z.string(),
  stock: z.number().int(),
});

export class CatalogReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The whole catalog's text and stock (a Scan: thousands of small items). Empty while the
   * products subgraph has not created its table yet (`npm start` starts every service at once).
   */
  async scanAll(): Promise<CatalogProduct[]> {
    const products: CatalogProduct[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.scanPage(start);
      if (!page) return [];
      for (const item of page.Items ?? []) products.push(catalogItemSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return products;
  }

  private async scanPage(start: Record<string, unknown> | undefined) {
    try {
      return await this.client.send(
        new ScanCommand({
          TableName: this.table,
          ProjectionExpression: 'id, #name, description, brand, category, stock',
          ExpressionAttributeNames: { '#name': 'name' },
          ExclusiveStartKey: start,
        }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  /** Units available now for each id found (ids missing from the table are absent from the map). */
  async stockOf(ids: readonly string[]): Promise<Map<string, number>> {
    const items = await batchGetAll(
      this.client,
      this.table,
      ids.map((id) => ({ id })),
      { projection: { expression: 'id, stock' } },
    );
    const stock = new Map<string, number>();
    for (const item of items)
      if (typeof item.id === 'string' && typeof item.stock === 'number') stock.set(item.id, item.stock);
    return stock;
  }
}
