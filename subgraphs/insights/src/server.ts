import { createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { loadInsightsConfig } from './config';
import type { Context } from './context';
import { openInsightsData } from './data';
import { createLoaders } from './data/loaders';
import { Insights } from './domain/insights';
import { resolvers } from './resolvers';
import { createWarehouse } from './services/warehouse';
import { openConsumers } from './workers/consumers';

/**
 * The insights subgraph (config.ts): the warehouse (WAREHOUSE) and its consumers (workers/consumers.ts):
 * the warehouse sink and the live sales windows on `orders.events`, and the review sentiment
 * pipeline (the products table's stream → SENTIMENT_ANALYZER → the review-sentiment table).
 */
export const start = defineSubgraph({
  name: 'insights',
  loadConfig: loadInsightsConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, metrics, resources }) {
    const data = resources.add(await openInsightsData(config));
    const warehouse = resources.add(createWarehouse(config));
    const bus = resources.add(createEventBus(config, log));
    const consumers = openConsumers({ config, data, warehouse, bus, log, metrics, resources });
    await warehouse.open();
    const insights = new Insights(warehouse, data.sentiment, config.CATALOG_CURRENCY);
    return {
      context: (base): Context => ({ ...base, insights, salesWindows: data.salesWindows, loaders: createLoaders(data.sentiment) }),
      readiness: tableReadiness(data.client, data.tables.sentiment),
      afterListen: () => consumers.start(),
    };
  },
});
