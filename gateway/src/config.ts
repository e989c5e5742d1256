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
  /**
   * Which proxies' X-Forwarded-For the gateway believes when it reads a client's address (express's
   * 'trust proxy': a hop count, or addresses and ranges). Default: loopback and private ranges,
   * where an in-cluster ingress and the local web dev server sit.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback, linklocal, uniquelocal')
    .transform((value) => (/^\d+$/.test(value.trim()) ? Number(value) : value === 'false' ? false : value)),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** How long a subgraph may take to answer one fetch, in milliseconds. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Performance (src/subgraph-fetch.ts, docs/performance.md): each switch can be turned off to
  // measure it alone or to rule it out when debugging.
  /** Send identical in-flight subgraph queries (same document, variables and identity) once; never mutations. */
  SUBGRAPH_DEDUP: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Query plans run on our executor (src/plan-executor: compiled result shaping, identical entity
   * representations sent once); false: @apollo/gateway's own executeQueryPlan.
   */
  PLAN_EXECUTOR: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Keep-alive undici connection pools per subgraph origin; false: Node's global fetch. */
  SUBGRAPH_POOL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Most connections a pool keeps open to one subgraph origin. */
  SUBGRAPH_POOL_CONNECTIONS: z.coerce.number().int().positive().default(128),
  /**
   * Operations whose per-document security work (limit checks, authorization, cost) is remembered,
   * per document and kind of caller; 0 turns the memoization off.
   */
  OPERATION_CACHE_SIZE: z.coerce.number().int().min(0).default(1_000),
  /**
   * Cheaper request path: subgraph requests sent without the node-fetch Request that
   * RemoteGraphQLDataSource builds per call, no legacy url.parse per client request, and no ETag
   * hashed over every response body.
   */
  LEAN_PIPELINE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Gateway processes (node:cluster) sharing the port, for a pod with several cores; 1: this process
   * serves. Per-process state stays per worker (see docs/performance.md).
   */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Updates a subscriber may leave unread before its subscription is ended as too slow. */
  SUBSCRIPTION_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  // Security (see src/security and docs/security.md).
  /** Deepest field nesting an operation may have. */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  /** Aliased fields an operation may have, fragments included. */
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
  /** Root fields an operation may select, fragments included. */
  MAX_ROOT_FIELDS: z.coerce.number().int().positive().default(20),
  /**
   * Selections an operation may make with its fragments expanded (each fragment counted at every
   * spread), as Apollo Router's max_recursive_selections counts them: bounds fragment fan-out.
   */
  MAX_RECURSIVE_SELECTIONS: z.coerce.number().int().positive().default(10_000),
  /** Longest GraphQL document accepted, in characters. */
  MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(20_000),
  /** Deepest nesting of arrays and objects in a request's JSON: body, variables, extensions. */
  MAX_JSON_NESTING: z.coerce.number().int().positive().default(64),
  /** Deepest nesting of braces, brackets and parentheses a document may have (checked before parsing). */
  MAX_DOCUMENT_NESTING: z.coerce.number().int().positive().default(64),
  /**
   * Steps one walk over a document (limits, cost, authorization) may take before the operation is
   * refused with MAX_OPERATION_WORK_LIMIT. Every walk is linear, a few steps per selection: this
   * is a second line of defence, far above what a document of MAX_DOCUMENT_BYTES needs.
   */
  MAX_OPERATION_WORK: z.coerce.number().int().positive().default(100_000),
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
  /** Shared APQ and entity caches for every gateway replica; unset: in-memory LRUs per process. */
  REDIS_URL: optionalUrlSchema,
  // Entity cache (src/entity-cache, docs/performance.md "Entity cache"): subgraph query responses
  // cached by the subgraphs' cache hints and invalidated by product and order events.
  /** Cache subgraph query responses per entity; false: every fetch reaches its subgraph. */
  ENTITY_CACHE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Most entries the in-memory entity cache keeps (least recently used go first); not used with REDIS_URL. */
  ENTITY_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(50_000),
  /** Longest an entry is kept, whatever a subgraph's max-age says: a bound on staleness if an event is lost. */
  ENTITY_CACHE_MAX_TTL_SECONDS: z.coerce.number().int().positive().default(300),
  /** Where registered partners (hashed API keys and manifests) are kept; default DATA_DIR/partners.json. */
  PARTNERS_FILE: z.string().min(1).optional(),
  /** Secret mixed into partner API key hashes (HMAC-SHA256); required in production. */
  PARTNER_KEY_PEPPER: z.string().min(16).optional(),
  /** Requests a partner may burst (token bucket size). */
  PARTNER_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(20),
  /** Tokens added to each partner's bucket per second. */
  PARTNER_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(5),
  // Field usage (src/usage): which fields and arguments each client uses, for schema checks.
  /** Record field usage per client (measured in bench/results/gateway.md: the usage rows). */
  FIELD_USAGE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Where the usage snapshot is written; default DATA_DIR/usage/field-usage.json, not written with REDIS_URL unless set. */
  FIELD_USAGE_FILE: z.string().min(1).optional(),
  /** How often counts go to Redis and the snapshot file, in seconds. */
  FIELD_USAGE_FLUSH_SECONDS: z.coerce.number().positive().default(10),
  /** Distinct client names taken from the apollographql-client-name header; the rest count as "other". */
  FIELD_USAGE_MAX_CLIENTS: z.coerce.number().int().min(0).default(50),
  /** Operations kept with their documents (all clients); past it, only their fields are counted. */
  FIELD_USAGE_MAX_OPERATIONS: z.coerce.number().int().min(0).default(1_000),
  /** With REDIS_URL: days of usage kept (one bucket per UTC day, each expiring after this many days). */
  FIELD_USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  /**
   * The development explorer at GET /graphql (never in production): `auto` shows Apollo Sandbox
   * when the browser reaches Apollo's CDN and the bundled GraphiQL otherwise; `sandbox`, `graphiql`.
   */
  LANDING_PAGE: z.enum(['auto', 'sandbox', 'graphiql']).default('auto'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
