import { z } from 'zod';
import {
  baseConfigSchema,
  ConfigError,
  dynamoConfigSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
  subgraphUrl,
} from '@cloudmart/runtime';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

export const supportConfigSchema = baseConfigSchema.extend({
  ...dynamoConfigSchema.shape,
  PORT: portSchema(4006),
  /** Which assistant answers: `local` (deterministic engine, no key) or `openai` (falls back to local). */
  SUPPORT_ASSISTANT: z.enum(['local', 'openai']).default('local'),
  /** Required when SUPPORT_ASSISTANT=openai. */
  OPENAI_API_KEY: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  /** Any OpenAI-compatible endpoint (Azure OpenAI, vLLM, Ollama, …); unset: api.openai.com. */
  OPENAI_BASE_URL: optionalUrlSchema,
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Deadline for one request to the model (the SDK's `timeout`). */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Retries of a failed model request (429, 5xx, timeouts), with the SDK's exponential backoff. */
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Base URL of the orders subgraph's GraphQL endpoint. Unset: SUBGRAPH_ORDERS_URL, else supergraph.yaml. */
  ORDERS_GRAPHQL_URL: optionalUrlSchema,
  /** Deadline for one call to the orders subgraph. */
  ORDERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Days after delivery during which the assistant may start a return. */
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /**
   * askSupport per user (each question may be a paid model call): this many questions at once…
   * (a person typing asks far fewer; a script asking in a loop is stopped after these).
   */
  ASK_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
  /** …then this many a minute (the bucket refills continuously). */
  ASK_RATE_LIMIT_PER_MINUTE: z.coerce.number().positive().max(60_000).default(10),
  /** Keeps the askSupport limits in Redis, shared by every replica; unset: each replica limits alone. */
  REDIS_URL: optionalUrlSchema,
});

export type SupportConfig = z.infer<typeof supportConfigSchema> & { ordersUrl: string };

export function loadSupportConfig(env: NodeJS.ProcessEnv = process.env): SupportConfig {
  const config = loadConfig(supportConfigSchema, env);
  if (config.SUPPORT_ASSISTANT === 'openai' && !config.OPENAI_API_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  OPENAI_API_KEY: must be set when SUPPORT_ASSISTANT=openai (not set)',
    );
  }
  const ordersUrl = config.ORDERS_GRAPHQL_URL ?? subgraphUrl('orders', env);
  return { ...config, ordersUrl };
}
