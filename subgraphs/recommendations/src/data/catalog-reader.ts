// What the recommender reads from the products table, read only, as the table's contract allows
// (runtime/src/dynamodb/tables.ts) — the same route the orders subgraph takes for prices and
// stock. The text fields feed content similarity; stock is read again, consistently fresh,
// just before answering, so an out-of-stock product is never recommended.
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const stock = new Map<string, number>();
    for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] = ids
        .slice(start, start + BATCH_GET_LIMIT)
        .map((id) => ({ id }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem on ${this.table}: keys still unprocessed`);
        if (attempt > 0) await sleep(Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random()));
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: pending, ProjectionExpression: 'id, stock' } },
          }),
        );
        for (const item of result.Responses?.[this.table] ?? [])
          if (typeof item.id === 'string' && typeof item.stock === 'number') stock.set(item.id, item.stock);
        pending = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return stock;
  }
}
