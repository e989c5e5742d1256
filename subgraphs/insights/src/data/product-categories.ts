import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '@cloudmart/runtime';

/**
 * Products' categories, read from the products table (the products subgraph's; read only, as its
 * contract, @cloudmart/products/contract, allows). Cached for the life of the process: a product rarely
 * changes category, and order lines record the category at the time they are loaded.
 */
export class ProductCategories {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  readonly lookup = async (productIds: string[]): Promise<Map<string, string>> => {
    const missing = productIds.filter((id) => !this.cache.has(id));
    if (missing.length > 0) {
      const items = await batchGetAll(
        this.client,
        this.table,
        missing.map((id) => ({ id })),
        { projection: { expression: '#id, #category', names: { '#id': 'id', '#category': 'category' } } },
      );
      for (const item of items) {
        if (typeof item.id === 'string' && typeof item.category === 'string')
          this.cache.set(item.id, item.category);
      }
    }
    const found = new Map<string, string>();
    for (const id of productIds) {
      const category = this.cache.get(id);
      if (category !== undefined) found.set(id, category);
    }
    return found;
  };
}
