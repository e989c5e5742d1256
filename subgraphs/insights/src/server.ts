import { createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { reportConsumerLag } from '@cloudmart/runtime/observability';
import { loadInsightsConfig } from './config';
import type { Context } from './context';
import { openInsightsData } from './data';
import { createLoaders } from './data/loaders';
import { Insights } from './domain/insights';
import { resolvers } from './resolvers';
import { createSentimentAnalyzer } from './services/sentiment';
import { createWarehouse } from './services/warehouse';
import { ReviewStreamFollower } from './workers/review-stream';
import { SentimentWorker } from './workers/sentiment-worker';
import { WAREHOUSE_CONSUMER_GROUP, WarehouseSink } from './workers/warehouse-sink';

/**
 * The insights subgraph (config.ts): the warehouse (WAREHOUSE), the warehouse sink on `orders.events`,
 * and the review sentiment pipeline (the products table's stream → SENTIMENT_ANALYZER → the
 * review-sentiment table).
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
    const sink = resources.add(new WarehouseSink(bus, warehouse, data.categories.lookup, log));
    const worker = resources.add(new SentimentWorker(data.reviews, data.sentiment, createSentimentAnalyzer(config), log));
    const follower = resources.add(new ReviewStreamFollower({
      config, dynamo: data.client, table: data.tables.products, pollMs: config.STREAM_POLL_MS, log,
      onNewReviews: (reviewKeys) => worker.enqueue(reviewKeys),
      onResync: () => worker.catchUp(),
    }));
    resources.defer(reportConsumerLag({ bus, groupId: WAREHOUSE_CONSUMER_GROUP, metrics, log }));
    await warehouse.open();
    const insights = new Insights(warehouse, data.sentiment, config.CATALOG_CURRENCY);
    return {
      context: (base): Context => ({ ...base, insights, loaders: createLoaders(data.sentiment) }),
      readiness: tableReadiness(data.client, data.tables.sentiment),
      async afterListen() {
        await sink.start();
        follower.start();
      },
    };
  },
});
