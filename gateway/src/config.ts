import path from 'node:path';
import { z } from 'zod';
import { baseConfigSchema, eventBusConfigSchema, loadConfig, optionalUrlSchema, portSchema, repoRoot } from '@cloudmart/runtime';

export const gatewayConfigSchema = baseConfigSchema.extend({
  /** The order events subscriptions are fed from. */
  ...eventBusConfigSchema.shape,
  PORT: portSchema(4000),
  /** The composed supergraph that `npm run compose` writes. */
  SUPERGRAPH_FILE: z.string().default(path.join(repoRoot, 'gateway', 'supergraph.graphql')),
  /** Browser origins allowed to call the gateway (comma-separated). */
  CORS_ORIGINS: z
    .string()
    .default('http://localhost:3000,http://127.0.0.1:3000')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean)),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** How long a subgraph may take to answer one fetch, in milliseconds. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Updates a subscriber may leave unread before its subscription is ended as too slow. */
  SUBSCRIPTION_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  // Security (see src/security and docs/security.md).
  /** Deepest field nesting an operation may have. */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  /** Aliased fields an operation may have, fragments included. */
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
  /** Root fields an operation may select, fragments included. */
  MAX_ROOT_FIELDS: z.coerce.number().int().positive().default(20),
  /** Longest GraphQL document accepted, in characters. */
  MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(20_000),
  /** Highest estimated cost (@cost/@listSize demand control) an operation may have. */
  MAX_OPERATION_COST: z.coerce.number().int().positive().default(5_000),
  /** Size assumed for a list field with no @listSize and no slicing argument. */
  DEFAULT_LIST_SIZE: z.coerce.number().int().positive().default(10),
  /** Extra persisted-query manifests (comma-separated paths) that first-party clients may use by id. */
  PERSISTED_QUERY_MANIFESTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((file) => file.trim()).filter(Boolean)),
  /** When true, first-party requests may only run operations found in a manifest (safelisting). */
  PERSISTED_QUERIES_SAFELIST: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Shared APQ cache for every gateway replica; unset: an in-memory LRU per process. */
  REDIS_URL: optionalUrlSchema,
  /** Where registered partners (hashed API keys and manifests) are kept; default DATA_DIR/partners.json. */
  PARTNERS_FILE: z.string().min(1).optional(),
  /** Secret mixed into partner API key hashes (HMAC-SHA256); required in production. */
  PARTNER_KEY_PEPPER: z.string().min(16).optional(),
  /** Requests a partner may burst (token bucket size). */
  PARTNER_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(20),
  /** Tokens added to each partner's bucket per second. */
  PARTNER_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(5),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
