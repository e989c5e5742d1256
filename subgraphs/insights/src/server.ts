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
import { loadInsightsConfig } from './config';
import type { Context } from './context';
import { openInsightsData } from './data';
import { createLoaders } from './data/loaders';
import { Insights } from './domain/insights';
import { resolvers } from './resolvers';
import { ReviewStreamFollower } from './workers/review-stream';
import { SentimentWorker } from './workers/sentiment-worker';
import { createSentimentAnalyzer } from './services/sentiment';
import { createWarehouse } from './services/warehouse';
import { WAREHOUSE_CONSUMER_GROUP, WarehouseSink } from './workers/warehouse-sink';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the insights subgraph from environment variables (see config.ts): opens the warehouse
 * (WAREHOUSE) and its own DynamoDB table, starts the warehouse sink on `orders.events` and the
 * review sentiment pipeline (the products table's stream → SENTIMENT_ANALYZER → the
 * review-sentiment table), and serves GraphQL.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadInsightsConfig(env);
  const log = createLogger('insights', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const data = await openInsightsData(config);
  const warehouse = createWarehouse(config);
  const bus = createEventBus(config, log);
  const sink = new WarehouseSink(bus, warehouse, data.categories.lookup, log);
  const worker = new SentimentWorker(data.reviews, data.sentiment, createSentimentAnalyzer(config), log);
  const follower = new ReviewStreamFollower({
    config,
    dynamo: data.client,
    table: data.tables.products,
    pollMs: config.STREAM_POLL_MS,
    log,
    onNewReviews: (reviewKeys) => worker.enqueue(reviewKeys),
    onResync: () => worker.catchUp(),
  });
  const metrics = createServiceMetrics('insights');
  const stopLagReport = reportConsumerLag({ bus, groupId: WAREHOUSE_CONSUMER_GROUP, metrics, log });
  const closeAll = async () => {
    stopLagReport();
    await follower.stop();
    await worker.stop();
    await sink.stop();
    await bus.close();
    await warehouse.close();
    data.close();
  };
  try {
    await warehouse.open();
    const insights = new Insights(warehouse, data.sentiment, config.CATALOG_CURRENCY);
    const server = await startSubgraphServer<Context>({
      name: 'insights',
      metrics,
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({ ...base, insights, loaders: createLoaders(data.sentiment) }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.sentiment }));
      },
      onStop: closeAll,
    });
    try {
      await sink.start();
    } catch (error) {
      await server.stop(); // runs closeAll: a start that fails leaves nothing running
      throw error;
    }
    follower.start();
    return server;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
