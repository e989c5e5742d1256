import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createEventBus,
  createLogger,
  loadInternalTokenKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { createServiceMetrics, reportConsumerLag } from '@cloudmart/runtime/observability';
import { loadRecommendationsConfig } from './config';
import type { Context } from './context';
import { openRecommendationsData } from './data';
import { CONSUMER_GROUP, OrderEventsConsumer } from './domain/order-events';
import { Recommendations } from './domain/recommendations';
import { resolvers } from './resolvers';
import { createRecommender } from './services/recommender';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the recommendations subgraph from environment variables (see config.ts): creates its
 * read-model table, loads it and the catalog, follows the order events (consumer group
 * `recommendations`) and serves GraphQL.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadRecommendationsConfig(env);
  const log = createLogger('recommendations', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const bus = createEventBus(config, log);
  const data = await openRecommendationsData(config);
  const recommendations = new Recommendations({
    purchases: data.purchases,
    catalog: data.catalog,
    recommender: createRecommender(config, log),
    log,
    halfLifeDays: config.RECS_HALF_LIFE_DAYS,
    catalogRefreshMs: config.CATALOG_REFRESH_MS,
  });
  const consumer = new OrderEventsConsumer(
    bus,
    data.purchases,
    (change) => recommendations.apply(change),
    log,
  );
  const metrics = createServiceMetrics('recommendations');
  const stopLagReport = reportConsumerLag({ bus, groupId: CONSUMER_GROUP, metrics, log });
  const closeAll = async () => {
    stopLagReport();
    await consumer.stop();
    await bus.close();
    data.close();
  };
  try {
    await recommendations.init();
    await consumer.start();
    return await startSubgraphServer<Context>({
      name: 'recommendations',
      metrics,
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({ ...base, recommendations }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.purchases }));
      },
      onStop: closeAll,
    });
  } catch (error) {
    await closeAll();
    throw error;
  }
}
