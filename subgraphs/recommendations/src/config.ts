import { z } from 'zod';
import {
  baseConfigSchema,
  dynamoConfigSchema,
  eventBusConfigSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
} from '@cloudmart/runtime';

export const recommendationsConfigSchema = baseConfigSchema.extend({
  ...dynamoConfigSchema.shape,
  ...eventBusConfigSchema.shape,
  PORT: portSchema(4005),
  /**
   * Who ranks the candidates: `local` (the default, no account needed) or `bedrock` (Titan
   * embeddings and a Claude re-rank; falls back to local when Bedrock fails).
   */
  RECOMMENDER: z.enum(['local', 'bedrock']).default('local'),
  /** Half-life, in days, of an order's weight in the co-purchase model. */
  RECS_HALF_LIFE_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** How long a catalog snapshot (names, descriptions, brands, categories) is used before it is read again. */
  CATALOG_REFRESH_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /** Bedrock's region; AWS_REGION when unset. */
  BEDROCK_REGION: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
  /** A Bedrock runtime endpoint other than AWS's (a VPC endpoint, or a local fake in tests). */
  BEDROCK_ENDPOINT: optionalUrlSchema,
  BEDROCK_EMBEDDING_MODEL_ID: z.string().min(1).default('amazon.titan-embed-text-v2:0'),
  BEDROCK_RERANK_MODEL_ID: z.string().min(1).default('anthropic.claude-3-5-haiku-20241022-v1:0'),
  /** Deadline of one Bedrock call. */
  BEDROCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** Attempts per Bedrock call, throttling (429) and 5xx retried with the SDK's backoff. */
  BEDROCK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
});

export type RecommendationsConfig = z.infer<typeof recommendationsConfigSchema>;

export const loadRecommendationsConfig = (env: NodeJS.ProcessEnv = process.env): RecommendationsConfig =>
  loadConfig(recommendationsConfigSchema, env);
