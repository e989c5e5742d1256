import { createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { reportConsumerLag } from '@cloudmart/runtime/observability';
import { loadRecommendationsConfig } from './config';
import type { Context } from './context';
import { openRecommendationsData } from './data';
import { Recommendations, type HistoryChange } from './domain/recommendations';
import { resolvers } from './resolvers';
import { createRecommender } from './services/recommender';
import { CONSUMER_GROUP, OrderEventsConsumer } from './workers/order-events';

/**
 * The recommendations subgraph, started from environment variables (see config.ts): creates its
 * read-model table, loads it and the catalog, follows the order events (consumer group
 * `recommendations`) and serves GraphQL.
 */
export const start = defineSubgraph({
  name: 'recommendations',
  loadConfig: loadRecommendationsConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, metrics, resources }) {
    const bus = resources.add(createEventBus(config, log));
    const data = resources.add(await openRecommendationsData(config));
    const recommendations = new Recommendations({
      purchases: data.purchases,
      catalog: data.catalog,
      recommender: createRecommender(config, log),
      log,
      halfLifeDays: config.RECS_HALF_LIFE_DAYS,
      catalogRefreshMs: config.CATALOG_REFRESH_MS,
    });
    const onChange = (change: HistoryChange) => recommendations.apply(change);
    const consumer = resources.add(new OrderEventsConsumer(bus, data.purchases, onChange, log));
    resources.defer(reportConsumerLag({ bus, groupId: CONSUMER_GROUP, metrics, log }));
    await recommendations.init();
    await consumer.start();
    return {
      context: (base): Context => ({ ...base, recommendations }),
      readiness: tableReadiness(data.client, data.tables.purchases),
    };
  },
});
