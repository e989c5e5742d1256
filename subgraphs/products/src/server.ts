import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createLogger,
  createTopicEventBus,
  loadInternalTokenKeys,
  loadTypeDefs,
  startSubgraphServer,
  productEventsTopic,
  type RunningServer,
} from '@cloudmart/runtime';
import { Catalog } from './domain/catalog';
import { busProductEvents } from './domain/events';
import { loadProductsConfig } from './config';
import type { Context } from './context';
import { openProductsData } from './data';
import { createLoaders } from './data/loaders';
import { ProductStreamFollower } from './data/product-stream';
import { CursorCodec } from './domain/cursor';
import { resolvers } from './resolvers';
import { CatalogIndex } from './domain/catalog-index';
import { seedDemoCatalog } from './seed';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the products subgraph from environment variables (see config.ts): creates missing
 * tables, seeds the demo catalog if asked and the table is empty, builds the search index from a
 * scan, follows the table's stream, and serves GraphQL. What `src/index.ts` and the tests run.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadProductsConfig(env);
  const log = createLogger('products', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const data = await openProductsData(config);
  const bus = createTopicEventBus(config, productEventsTopic, log); // no connection until the first publish
  let stream: ProductStreamFollower | undefined;
  try {
    if (config.SEED_DEMO_DATA) {
      await seedDemoCatalog(data, {
        count: config.SEED_PRODUCT_COUNT,
        currency: config.CATALOG_CURRENCY,
        log,
        progressBar: true,
      });
    }
    const index = new CatalogIndex();
    const rebuild = async () => index.replaceAll(await data.products.scanAll());
    stream = new ProductStreamFollower({
      config,
      dynamo: data.client,
      table: data.tables.products,
      pollMs: config.STREAM_POLL_MS,
      log,
      onChange: (change) => (change.type === 'upsert' ? index.upsert(change.item) : index.remove(change.id)),
      onResync: rebuild,
    });
    // Stream positions first, then the scan: nothing written in between can be missed.
    await stream.open();
    await rebuild();
    stream.start();
    log.info({ products: index.size }, 'search index built');

    const catalog = new Catalog(
      data,
      index,
      new CursorCodec(config.CURSOR_SECRET),
      config.CATALOG_CURRENCY,
      busProductEvents(bus, log),
    );
    const following = stream;
    return await startSubgraphServer<Context>({
      name: 'products',
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({ ...base, catalog, loaders: createLoaders(data.products, data.reviews) }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.products }));
      },
      onStop: async () => {
        await following.stop();
        await bus.close();
        data.close();
      },
    });
  } catch (error) {
    await stream?.stop();
    await bus.close();
    data.close();
    throw error;
  }
}
