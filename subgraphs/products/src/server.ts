import { createTopicEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { productEventsTopic } from './contract';
import { Catalog } from './domain/catalog';
import { CursorCodec } from './domain/cursor';
import { ProductMedia } from './domain/media';
import { busProductEvents } from './domain/events';
import { loadProductsConfig } from './config';
import type { Context } from './context';
import { openProductsData } from './data';
import { createLoaders } from './data/loaders';
import { resolvers } from './resolvers';
import { seedDemoCatalog } from './seed';
import { createMediaStorage } from './services/media-storage';
import { followCatalogIndex } from './workers/product-stream';
import { UploadSweeper } from './workers/upload-sweeper';

/**
 * The products subgraph, started from environment variables (see config.ts): creates missing
 * tables, seeds the demo catalog if asked and the table is empty, builds the search index and keeps
 * it current from the table's stream, and serves GraphQL.
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
    const index = await followCatalogIndex(data, { config, log, resources });
    const cursors = new CursorCodec(config.CURSOR_SECRET);
    const catalog = new Catalog(data, index, cursors, config.CATALOG_CURRENCY, busProductEvents(bus, log));
    const mediaStorage = createMediaStorage(config);
    const media = new ProductMedia(data, mediaStorage, catalog, log);
    resources.add(new UploadSweeper(data.uploads, mediaStorage, log, { intervalMs: config.MEDIA_UPLOAD_SWEEP_MS })).start();
    return {
      context: (base): Context => ({ ...base, catalog, media, mediaStorage, loaders: createLoaders(data.products, data.reviews) }),
      readiness: tableReadiness(data.client, data.tables.products),
    };
  },
});
