import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DynamoStreamFollower,
  type CloseStack,
  type Logger,
  type StreamFollowerOptions,
  type StreamRecord,
} from '@cloudmart/runtime';
import type { ProductsConfig } from '../config';
import type { ProductsData } from '../data';
import { productItemSchema, type ProductItem } from '../data/items';
import { CatalogIndex } from '../domain/catalog-index';

export type ProductChange = { type: 'upsert'; item: ProductItem } | { type: 'remove'; id: string };

export interface ProductStreamOptions extends Omit<StreamFollowerOptions, 'onRecords'> {
  onChange(change: ProductChange): void;
}

/** What a products-table stream record says about the product (undefined: nothing usable). */
function productChangeOf(record: StreamRecord, log: Logger): ProductChange | undefined {
  const change = record.dynamodb;
  if (record.eventName === 'REMOVE') {
    const id = change?.Keys?.id?.S;
    return id ? { type: 'remove', id } : undefined;
  }
  if (!change?.NewImage) return undefined;
  const parsed = productItemSchema.safeParse(unmarshall(change.NewImage as Parameters<typeof unmarshall>[0]));
  if (parsed.success) return { type: 'upsert', item: parsed.data };
  log.error({ issues: parsed.error.issues, keys: change.Keys }, 'malformed product in the products stream');
  return undefined;
}

/**
 * Follows the products table's stream, so this process sees every writer's changes — checkout in
 * the orders subgraph decrementing stock, other replicas of this subgraph — and not only its own.
 * The caller opens it before scanning the table (see DynamoStreamFollower.open); the search
 * index's version check makes a change applied twice harmless.
 */
export class ProductStreamFollower extends DynamoStreamFollower {
  constructor({ onChange, ...options }: ProductStreamOptions) {
    super({
      ...options,
      onRecords: (records) => {
        for (const record of records) {
          const change = productChangeOf(record, options.log);
          if (change) onChange(change);
        }
      },
    });
  }
}

/**
 * The catalog's in-memory search index, built from a scan and kept current by the table's stream
 * (the follower is registered on `resources`). Stream positions are taken first, then the scan:
 * nothing written in between can be missed.
 */
export async function followCatalogIndex(
  data: Pick<ProductsData, 'client' | 'tables' | 'products'>,
  { config, log, resources }: { config: ProductsConfig; log: Logger; resources: CloseStack },
): Promise<CatalogIndex> {
  const index = new CatalogIndex();
  const rebuild = async () => index.replaceAll(await data.products.scanAll());
  const stream = resources.add(
    new ProductStreamFollower({
      config,
      dynamo: data.client,
      table: data.tables.products,
      pollMs: config.STREAM_POLL_MS,
      log,
      onChange: (change) => (change.type === 'upsert' ? index.upsert(change.item) : index.remove(change.id)),
      onResync: rebuild,
    }),
  );
  await stream.open();
  await rebuild();
  stream.start();
  log.info({ products: index.size }, 'search index built');
  return index;
}
