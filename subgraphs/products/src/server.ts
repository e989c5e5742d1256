import { createTopicEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { productEventsTopic } from './contract';
import { Catalog } from './domain/catalog';
import { CatalogIndex } from './domain/catalog-index';
import { CursorCodec } from './domain/cursor';
import { busProductEvents } from './domain/events';
import { loadProductsConfig } from './config';
import type { Context } from './context';
import { openProductsData } from './data';
import { createLoaders } from './data/loaders';
import { ProductStreamFollower } from './data/product-stream';
import { resolvers } from './resolvers';
import { seedDemoCatalog } from './seed';

/**
 * The products subgraph, started from environment variables (see config.ts): creates missing
 * tables, seeds the demo catalog if asked and the table is empty, builds the search index from a
 * scan, follows the table's stream, and serves GraphQL.
 */
export const start = defineSubgraph({
  name: 'products',
  loadConfig: loadProductsConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, resources }) {
    const data = resources.add(await openProductsData(config));
    const bus = resources.add(createTopicEventBus(config, productEventsTopic, log)); // connects at the first publish
    if (config.SEED_DEMO_DATA) {
      await seedDemoCatalog(data, { count: config.SEED_PRODUCT_COUNT, currency: config.CATALOG_CURRENCY, log, progressBar: true });
    }
    const index = new CatalogIndex();
    const rebuild = async () => index.replaceAll(await data.products.scanAll());
    const stream = resources.add(new ProductStreamFollower({
      config, dynamo: data.client, table: data.tables.products, pollMs: config.STREAM_POLL_MS, log,
      onChange: (change) => (change.type === 'upsert' ? index.upsert(change.item) : index.remove(change.id)),
      onResync: rebuild,
    }));
    // Stream positions first, then the scan: nothing written in between can be missed.
    await stream.open();
    await rebuild();
    stream.start();
    log.info({ products: index.size }, 'search index built');
    const catalog = new Catalog(data, index, new CursorCodec(config.CURSOR_SECRET), config.CATALOG_CURRENCY, busProductEvents(bus, log));
    return {
      context: (base): Context => ({ ...base, catalog, loaders: createLoaders(data.products, data.reviews) }),
      readiness: tableReadiness(data.client, data.tables.products),
    };
  },
});
