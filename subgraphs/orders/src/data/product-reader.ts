import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@cloudmart/runtime';
import { productPriceSchema, type ProductPrice } from './items';

/**
 * Reads what orders needs from the products table (name, price, currency, stock) — read only,
 * as the table's contract allows. Prices are never taken from the client.
 */
export class ProductReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getMany(ids: readonly string[], { consistent = false } = {}): Promise<Map<string, ProductPrice>> {
    const items = await batchGetAll(
      this.client,
      this.table,
      ids.map((id) => ({ id })),
      {
        consistent,
        projection: { expression: 'id, #name, priceAmount, currency, stock', names: { '#name': 'name' } },
      },
    );
    return new Map(
      items.map((item) => productPriceSchema.parse(item)).map((product) => [product.id, product]),
    );
  }
}
