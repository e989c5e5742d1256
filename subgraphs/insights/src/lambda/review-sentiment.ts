// Review sentiment as an AWS Lambda function on the products table's DynamoDB stream
// (infra/aws/modules/event-lambdas), for environments that run it outside the cluster: each stream
// record goes through the same code as in the cluster — newReviewsOf names the reviews it
// announces, and the SentimentWorker reads, analyses and stores them (analyseNow) — through the
// runtime's DynamoDB Streams adapter. A review the analyser refuses is stored FAILED, as in the
// cluster; a store or the analyser away, or a review not readable yet, makes the record a batch
// item failure, and Lambda delivers it (and the shard's records after it) again.
import { baseConfigSchema, createDocumentClient, createLogger, dynamoConfigSchema, loadConfig, tableName, type Logger } from '@cloudmart/runtime';
import { dynamoDbStreamHandler, lazyHandler } from '@cloudmart/runtime/lambda';
import { productsTables } from '@cloudmart/products/contract';
import { insightsConfigSchema } from '../config';
import { insightsTables } from '../contract';
import { ReviewReader } from '../data/review-reader';
import { SentimentStore } from '../data/sentiment-store';
import { AzureSentimentAnalyzer } from '../services/sentiment/azure';
import { LocalSentimentAnalyzer } from '../services/sentiment/local';
import type { SentimentAnalyzer } from '../services/sentiment/sentiment';
import { newReviewsOf } from '../workers/review-stream';
import { SentimentWorker } from '../workers/sentiment-worker';

const settings = insightsConfigSchema.shape;

/**
 * All the Lambda reads: DynamoDB's settings and the analyser's. Not named …ConfigSchema: the
 * deploy generators read the service's settings from its one such export (config.ts).
 */
export const reviewSentimentSettingsSchema = dynamoConfigSchema
  .extend({
    LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL,
    SENTIMENT_ANALYZER: settings.SENTIMENT_ANALYZER,
    AZURE_LANGUAGE_ENDPOINT: settings.AZURE_LANGUAGE_ENDPOINT,
    AZURE_LANGUAGE_KEY: settings.AZURE_LANGUAGE_KEY,
  })
  .superRefine((config, context) => {
    if (config.SENTIMENT_ANALYZER !== 'azure') return;
    for (const name of ['AZURE_LANGUAGE_ENDPOINT', 'AZURE_LANGUAGE_KEY'] as const) {
      if (!config[name]) context.addIssue({ code: 'custom', path: [name], message: 'required when SENTIMENT_ANALYZER=azure' });
    }
  });

export interface ReviewSentimentLambdaDeps {
  worker: SentimentWorker;
  log: Logger;
}

/** The handler over its worker; `handler` below builds it from the environment. */
export function reviewSentimentHandler({ worker, log }: ReviewSentimentLambdaDeps) {
  return dynamoDbStreamHandler({
    handle: async (record) => {
      const reviews = newReviewsOf(record);
      if (reviews.length > 0) await worker.analyseNow(reviews);
    },
    log,
  });
}

/**
 * The Lambda's entry point, built on the first invocation. It reads the reviews and the sentiment
 * table and writes the latter; it creates no table (the tables are Terraform's).
 */
export const handler = lazyHandler(() => {
  const config = loadConfig(reviewSentimentSettingsSchema, process.env);
  const client = createDocumentClient(config);
  const prefix = config.DYNAMODB_TABLE_PREFIX;
  // The service picks its analyser the same way (services/sentiment/index.ts, over the whole InsightsConfig).
  const analyzer: SentimentAnalyzer =
    config.SENTIMENT_ANALYZER === 'azure'
      ? new AzureSentimentAnalyzer({ endpoint: config.AZURE_LANGUAGE_ENDPOINT!, key: config.AZURE_LANGUAGE_KEY! })
      : new LocalSentimentAnalyzer();
  const log = createLogger('insights-review-sentiment', config.LOG_LEVEL);
  const worker = new SentimentWorker(
    new ReviewReader(client, tableName(prefix, productsTables.productReviews)),
    new SentimentStore(client, tableName(prefix, insightsTables.reviewSentiment)),
    analyzer,
    log,
  );
  return reviewSentimentHandler({ worker, log });
});
