import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, tableNames, type DynamoConfig, type TableNames } from '@cloudmart/runtime';
import { productsTables } from '../contract';

/** The products subgraph's tables, by role. */
export const productTableRoles = {
  products: productsTables.products,
  skus: productsTables.productSkus,
  reviews: productsTables.productReviews,
  uploads: productsTables.productImageUploads,
};
export type ProductTables = TableNames<typeof productTableRoles>;

export const productTablesFor = (prefix: string): ProductTables => tableNames(prefix, productTableRoles);

/**
 * Counts the DynamoDB calls this process sends, by operation and table (e.g.
 * "BatchGetItem cloudmart-products"). Tests read it to prove that a query costs one batch, not one
 * read per entity; it is also the place to hang metrics.
 */
export class DynamoCallCounter {
  private readonly counts = new Map<string, number>();

  record(operation: string, tables: string[]) {
    for (const table of tables.length ? tables : ['-']) {
      const key = `${operation} ${table}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  count(operation: string, table: string): number {
    return this.counts.get(`${operation} ${table}`) ?? 0;
  }

  /** Every call since the last reset, e.g. { "BatchGetItem cloudmart-products": 1 }. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset() {
    this.counts.clear();
  }
}

/** One counter for the process: the servers a test starts in-process all report here. */
export const dynamoCalls = new DynamoCallCounter();

function tablesOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const { TableName, RequestItems, TransactItems } = input as {
    TableName?: unknown;
    RequestItems?: Record<string, unknown>;
    TransactItems?: Record<string, { TableName?: string }>[];
  };
  if (typeof TableName === 'string') return [TableName];
  if (RequestItems) return Object.keys(RequestItems);
  if (TransactItems) {
    const names = TransactItems.flatMap((item) =>
      Object.values(item).map((operation) => operation.TableName ?? ''),
    );
    return [...new Set(names.filter(Boolean))];
  }
  return [];
}

/** A DocumentClient whose every call is counted in `dynamoCalls`. */
export function createProductsDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const client = createDocumentClient(config);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      dynamoCalls.record((context.commandName ?? 'Unknown').replace(/Command$/, ''), tablesOf(args.input));
      return next(args);
    },
    { step: 'initialize', name: 'cloudmartCallCounter' },
  );
  return client;
}
