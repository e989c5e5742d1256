import { z } from 'zod';
import {
  baseConfigSchema,
  dynamoConfigSchema,
  eventBusConfigSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
} from '@cloudmart/runtime';

const optionalString = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(1).optional(),
);

const inCluster = z
  .enum(['true', 'false'])
  .default('true')
  .transform((value) => value === 'true');

export const insightsConfigSchema = baseConfigSchema
  .extend({
    ...dynamoConfigSchema.shape,
    ...eventBusConfigSchema.shape,
    PORT: portSchema(4007),
    /** The currency sales are reported in (the catalog's). */
    CATALOG_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    /** `duckdb`: a file under DATA_DIR/insights (zero-install); `bigquery`: BIGQUERY_PROJECT's dataset. */
    WAREHOUSE: z.enum(['duckdb', 'bigquery']).default('duckdb'),
    BIGQUERY_PROJECT: optionalString,
    BIGQUERY_DATASET: z
      .string()
      .regex(/^\w{1,1024}$/)
      .default('cloudmart_insights'),
    BIGQUERY_LOCATION: z.string().min(1).default('US'),
    /** Another BigQuery API root (a local fake in tests); unset in GCP. */
    BIGQUERY_API_ENDPOINT: optionalUrlSchema,
    /** `local`: a lexicon-based analyser in the process; `azure`: Azure AI Language. */
    SENTIMENT_ANALYZER: z.enum(['local', 'azure']).default('local'),
    AZURE_LANGUAGE_ENDPOINT: optionalUrlSchema,
    AZURE_LANGUAGE_KEY: optionalString,
    /** How often the review follower polls the products table's stream. */
    STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    /**
     * Whether this service runs the warehouse sink and the review sentiment follower itself (the
     * default). `false` for one that runs as its Lambda instead (infra/aws/modules/event-lambdas):
     * two consumers in one group would split the partitions between them.
     */
    WAREHOUSE_SINK_IN_CLUSTER: inCluster,
    REVIEW_SENTIMENT_IN_CLUSTER: inCluster,
    /** Length of a live sales window (tumbling, on event time); tests shorten it. */
    SALES_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /**
     * How long after a window's end its events are still taken (watermark = latest event time −
     * this); later ones are counted as late, not added. Also how long the stream must be quiet
     * before the wall clock closes windows.
     */
    SALES_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .superRefine((config, context) => {
    if (config.WAREHOUSE === 'bigquery' && !config.BIGQUERY_PROJECT) {
      context.addIssue({
        code: 'custom',
        path: ['BIGQUERY_PROJECT'],
        message: 'required when WAREHOUSE=bigquery',
      });
    }
    if (config.SENTIMENT_ANALYZER === 'azure') {
      for (const name of ['AZURE_LANGUAGE_ENDPOINT', 'AZURE_LANGUAGE_KEY'] as const) {
        if (!config[name]) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when SENTIMENT_ANALYZER=azure',
          });
        }
      }
    }
  });

export type InsightsConfig = z.infer<typeof insightsConfigSchema>;

export const loadInsightsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(insightsConfigSchema, env);
