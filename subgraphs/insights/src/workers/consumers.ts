// Insights' background consumers, opened together: the warehouse sink and the live sales windows
// on `orders.events`, and the review sentiment pipeline on the products table's stream. Each
// registers on the close stack as it opens; start() runs them once the service listens. The sink
// and the review pipeline can run as Lambdas instead (infra/aws/modules/event-lambdas): their
// *_IN_CLUSTER settings say whether this service runs them itself.
import { createTopicEventBus, type CloseStack, type EventBus, type Logger } from '@cloudmart/runtime';
import { reportConsumerLag, type ServiceMetrics } from '@cloudmart/runtime/observability';
import type { InsightsConfig } from '../config';
import { salesWindowsTopic } from '../contract';
import type { InsightsData } from '../data';
import { createSentimentAnalyzer } from '../services/sentiment';
import type { Warehouse } from '../services/warehouse/warehouse';
import { lateEventsCounter, LIVE_SALES_CONSUMER_GROUP, LiveSales } from './live-sales';
import { ReviewStreamFollower } from './review-stream';
import { SentimentWorker } from './sentiment-worker';
import { WAREHOUSE_CONSUMER_GROUP, WarehouseSink } from './warehouse-sink';

export interface ConsumerSetup {
  config: InsightsConfig;
  data: InsightsData;
  warehouse: Warehouse;
  /** orders.events. */
  bus: EventBus;
  log: Logger;
  metrics: ServiceMetrics;
  resources: CloseStack;
}

export function openConsumers({ config, data, warehouse, bus, log, metrics, resources }: ConsumerSetup) {
  const sink = resources.add(new WarehouseSink(bus, warehouse, data.categories.lookup, log));
  const worker = resources.add(new SentimentWorker(data.reviews, data.sentiment, createSentimentAnalyzer(config), log));
  const follower = resources.add(
    new ReviewStreamFollower({
      config,
      dynamo: data.client,
      table: data.tables.products,
      pollMs: config.STREAM_POLL_MS,
      log,
      onNewReviews: (reviewKeys) => worker.enqueue(reviewKeys),
      onResync: () => worker.catchUp(),
    }),
  );
  const windowBus = resources.add(createTopicEventBus(config, salesWindowsTopic, log)); // connects at the first publish
  const liveSales = resources.add(
    new LiveSales({
      bus,
      publisher: windowBus,
      store: data.salesWindows,
      log,
      orderLines: (orderId) => data.orderHistory.lines(orderId),
      categories: data.categories.lookup,
      currency: config.CATALOG_CURRENCY,
      windowMs: config.SALES_WINDOW_MS,
      latenessMs: config.SALES_ALLOWED_LATENESS_MS,
      // Windows due are closed within a tenth of a window (at most a second) of the watermark passing them.
      closeEveryMs: Math.min(1_000, config.SALES_WINDOW_MS / 10),
      onLate: lateEventsCounter(metrics.registry),
    }),
  );
  resources.defer(reportConsumerLag({ bus, groupId: WAREHOUSE_CONSUMER_GROUP, metrics, log }));
  resources.defer(reportConsumerLag({ bus, groupId: LIVE_SALES_CONSUMER_GROUP, metrics, log }));
  return {
    async start() {
      if (config.WAREHOUSE_SINK_IN_CLUSTER) await sink.start();
      await liveSales.start();
      if (config.REVIEW_SENTIMENT_IN_CLUSTER) follower.start();
    },
  };
}
