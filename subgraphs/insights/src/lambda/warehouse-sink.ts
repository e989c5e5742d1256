// The warehouse sink as an AWS Lambda function on an Amazon MSK event source mapping on
// `orders.events` (infra/aws/modules/event-lambdas), for environments that run it outside the
// cluster: each record goes to the same WarehouseSink.handle the in-cluster consumer calls, through
// the runtime's MSK adapter (partial batch responses, per-partition order). An event the sink
// cannot read is skipped by the sink itself, as in the cluster; a warehouse that fails makes the
// record's partition resume from it.
//
// The warehouse is BigQuery only. DuckDB is a file one process owns: a Lambda has an ephemeral
// /tmp per container, several containers at once and none that lives, so each would load into a
// file of its own that nobody reads and that is lost with the container. So this module never
// imports the DuckDB adapter (the zip carries no native DuckDB), and its settings refuse
// WAREHOUSE=duckdb. The tests drive warehouseSinkHandler over a DuckDB file, which is fine there.
import { ExternalAccountClient, type ExternalAccountClientOptions } from 'google-auth-library';
import { z } from 'zod';
import {
  baseConfigSchema,
  ConfigError,
  createDocumentClient,
  createLogger,
  dynamoConfigSchema,
  loadConfig,
  orderEventsTopic,
  tableName,
  type EventBus,
  type Logger,
} from '@cloudmart/runtime';
import { lazyHandler, mskEventHandler } from '@cloudmart/runtime/lambda';
import { productsTables } from '@cloudmart/products/contract';
import { insightsConfigSchema } from '../config';
import { ProductCategories } from '../data/product-categories';
import type { CategoryLookup } from '../domain/order-rows';
import { BigQueryWarehouse } from '../services/warehouse/bigquery';
import type { Warehouse } from '../services/warehouse/warehouse';
import { WarehouseSink } from '../workers/warehouse-sink';

/**
 * The consumer group the function's MSK mapping joins: the in-cluster sink's, so a switch between
 * the two resumes from the group's committed offsets (infra/aws/modules/event-lambdas).
 */
export { WAREHOUSE_CONSUMER_GROUP } from '../workers/warehouse-sink';

const settings = insightsConfigSchema.shape;

/**
 * All the Lambda reads: DynamoDB's settings (the products table, for categories) and BigQuery's.
 * Not named …ConfigSchema: the deploy generators read the service's settings from its one such
 * export (config.ts).
 */
export const warehouseSinkSettingsSchema = dynamoConfigSchema.extend({
  LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL,
  WAREHOUSE: z
    .literal('bigquery', {
      error: 'the warehouse sink Lambda loads BigQuery only: DuckDB is a file one process owns, and a Lambda has none that lasts',
    })
    .default('bigquery'),
  BIGQUERY_PROJECT: z.string().min(1),
  BIGQUERY_DATASET: settings.BIGQUERY_DATASET,
  BIGQUERY_LOCATION: settings.BIGQUERY_LOCATION,
  BIGQUERY_API_ENDPOINT: settings.BIGQUERY_API_ENDPOINT,
  /**
   * The GCP workload identity federation credential configuration (JSON, no secret in it) with an
   * AWS credential source: the function's role credentials become the insights service account's
   * at Google. Unset: Application Default Credentials (a local fake's tests need none).
   */
  GCP_CREDENTIAL_CONFIGURATION: z
    .preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional())
    .transform((value, context) => {
      if (value === undefined) return undefined;
      try {
        // Its fields are checked by ExternalAccountClient.fromJSON, which knows their variants.
        return JSON.parse(value) as ExternalAccountClientOptions;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON credential configuration' });
        return z.NEVER;
      }
    }),
});

export interface WarehouseSinkLambdaDeps {
  warehouse: Warehouse;
  categories: CategoryLookup;
  log: Logger;
}

/** The sink's bus, which the Lambda never uses: the event source mapping delivers the events, and start() is never called. */
const deliveredByEventSourceMapping: EventBus = {
  publish: () => Promise.reject(new Error('the warehouse sink Lambda publishes nothing')),
  subscribe: () => Promise.reject(new Error('the warehouse sink Lambda is fed by its event source mapping')),
  lag: () => Promise.reject(new Error('the event source mapping reports the lag (OffsetLag)')),
  close: async () => undefined,
};

/** The handler over its warehouse; `handler` below builds it from the environment. */
export function warehouseSinkHandler({ warehouse, categories, log }: WarehouseSinkLambdaDeps) {
  const sink = new WarehouseSink(deliveredByEventSourceMapping, warehouse, categories, log);
  return mskEventHandler({ topic: orderEventsTopic, handle: (event) => sink.handle(event), log });
}

/**
 * The Lambda's entry point, built on the first invocation. The BigQuery dataset and tables are
 * Terraform's (infra/gcp): it only inserts rows, and reads products' categories.
 */
export const handler = lazyHandler(() => {
  const config = loadConfig(warehouseSinkSettingsSchema, process.env);
  const authClient = config.GCP_CREDENTIAL_CONFIGURATION && ExternalAccountClient.fromJSON(config.GCP_CREDENTIAL_CONFIGURATION);
  if (authClient === null) throw new ConfigError('GCP_CREDENTIAL_CONFIGURATION: not an external_account credential configuration');
  const warehouse = new BigQueryWarehouse({
    projectId: config.BIGQUERY_PROJECT,
    dataset: config.BIGQUERY_DATASET,
    location: config.BIGQUERY_LOCATION,
    apiEndpoint: config.BIGQUERY_API_ENDPOINT,
    ...(authClient ? { authClient } : {}),
  });
  const client = createDocumentClient(config);
  const categories = new ProductCategories(client, tableName(config.DYNAMODB_TABLE_PREFIX, productsTables.products));
  const log = createLogger('insights-warehouse-sink', config.LOG_LEVEL);
  return warehouseSinkHandler({ warehouse, categories: categories.lookup, log });
});
