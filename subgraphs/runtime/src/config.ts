import path from 'node:path';
import { z } from 'zod';
import { defaultDataDir } from './paths';
import { DEFAULT_EVENT_LOOP_BLOCK_HOLD_MS, DEFAULT_EVENT_LOOP_MAX_BLOCK_MS } from './event-loop-watchdog';

/** Thrown at start-up when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every CloudMart process reads. Services extend this with their own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  DATA_DIR: z
    .string()
    .min(1)
    .default(defaultDataDir)
    .transform((dir) => path.resolve(dir)),
  HOST: z.string().min(1).default('127.0.0.1'),
  JWT_ISSUER: z.string().min(1).default('cloudmart'),
  JWT_AUDIENCE: z.string().min(1).default('cloudmart-api'),
  /** PEM; when unset outside production, development keys are generated under DATA_DIR/keys. */
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  /**
   * PEM of the ES256 pair the gateway signs internal tokens with (subgraph trust, internal-token.ts):
   * every subgraph holds the public key, only the gateway the private one. Generated under
   * DATA_DIR/keys outside production.
   */
  GATEWAY_TOKEN_PUBLIC_KEY: z.string().min(1).optional(),
  GATEWAY_TOKEN_PRIVATE_KEY: z.string().min(1).optional(),
  /** An event-loop stall longer than this fails the liveness probe (/health). */
  EVENT_LOOP_MAX_BLOCK_MS: z.coerce.number().int().positive().default(DEFAULT_EVENT_LOOP_MAX_BLOCK_MS),
  /** How long /health keeps reporting such a stall after it ended: at least one probe period. */
  EVENT_LOOP_BLOCK_HOLD_MS: z.coerce.number().int().positive().default(DEFAULT_EVENT_LOOP_BLOCK_HOLD_MS),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** A TCP port from the environment: an integer 0..65535 (0 picks a free port, for tests). */
export const portSchema = (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort);

/** An optional URL; an empty string counts as unset, as shells tend to export them. */
export const optionalUrlSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().url().optional(),
);

/**
 * Parses the environment against a schema. On failure it throws a ConfigError listing each
 * variable and what is wrong with it, so a bad deploy stops at once with a readable message.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[String(issue.path[0])];
    return `  ${variable}: ${issue.message}${value === undefined ? ' (not set)' : ''}`;
  });
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/**
 * INTERNAL_API_SECRET: a shared secret that services send each other on internal (non-GraphQL)
 * calls, so that only a service, never a client holding a user's token, can reach them. Outside
 * production a fixed development value is used; in production it must be set (16+ characters).
 */
export const internalApiSecretSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().min(16).optional(),
);
export const DEVELOPMENT_INTERNAL_API_SECRET = 'cloudmart-development-internal-secret';

/** The configured secret, or the development one; throws a ConfigError in production when unset. */
export function internalApiSecret(config: { NODE_ENV: string; INTERNAL_API_SECRET?: string }): string {
  if (config.INTERNAL_API_SECRET) return config.INTERNAL_API_SECRET;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration:\n  INTERNAL_API_SECRET: must be set in production (not set)');
  }
  return DEVELOPMENT_INTERNAL_API_SECRET;
}
