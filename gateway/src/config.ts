import path from 'node:path';
import { z } from 'zod';
import { baseConfigSchema, loadConfig, portSchema, repoRoot } from '@cloudmart/runtime';

export const gatewayConfigSchema = baseConfigSchema.extend({
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
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
