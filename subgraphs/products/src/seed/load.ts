import { SingleBar, Presets } from 'cli-progress';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type Logger } from '@cloudmart/runtime';
import type { ProductTables } from '../data/dynamo';
import type { ProductsData } from '../data';
import type { ProductItem } from '../data/items';
import { generateCatalog, type CatalogOptions } from './generate';

export interface LoadOptions {
  log?: Logger;
  /** Draw a progress bar on stderr (only when it is a terminal; logs otherwise). */
  progressBar?: boolean;
}

/**
 * Writes products and their SKU claims with BatchWriteItem (25 items a call, unprocessed items
 * retried). Item ids are deterministic, so two processes seeding at once write the same items.
 */
export async function loadProducts(
  client: DynamoDBDocumentClient,
  tables: ProductTables,
  products: readonly ProductItem[],
  { log, progressBar = false }: LoadOptions = {},
): Promise<void> {
  const puts = products.flatMap((product) => [
    { table: tables.products, item: product },
    { table: tables.skus, item: { sku: product.sku, productId: product.id } },
  ]);
  const bar =
    progressBar && process.stderr.isTTY
      ? new SingleBar(
          {
            format: 'Seeding catalog [{bar}] {percentage}% | {value}/{total} items | {eta}s left',
            stream: process.stderr,
          },
          Presets.shades_classic,
        )
      : undefined;
  bar?.start(puts.length, 0);
  let written = 0;
  let nextLog = 0;
  try {
    await batchWriteAll(client, puts, {
      onWritten: (count) => {
        written += count;
        bar?.update(written);
        if (!bar && written >= nextLog) {
          log?.info({ written, total: puts.length }, 'seeding the demo catalog');
          nextLog += Math.max(1, Math.ceil(puts.length / 4));
        }
      },
    });
  } finally {
    bar?.stop();
  }
}

/** Loads the generated demo catalog when the products table is empty; returns how many it wrote. */
export async function seedDemoCatalog(
  data: ProductsData,
  options: CatalogOptions & LoadOptions,
): Promise<number> {
  if (!(await data.products.isEmpty())) return 0;
  const products = generateCatalog(options);
  await loadProducts(data.client, data.tables, products, options);
  options.log?.info({ products: products.length }, 'demo catalog seeded');
  return products.length;
}
