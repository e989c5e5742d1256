import os from 'node:os';
import { z } from 'zod';
import { baseConfigSchema, internalApiSecretSchema, loadConfig, optionalUrlSchema, portSchema } from '@cloudmart/runtime';

const count = (defaultValue: number, min = 1) => z.coerce.number().int().min(min).default(defaultValue);

/** libuv's thread pool, shared by argon2 and Node's file, DNS and zlib work (read once, at start). */
const libuvThreads = Number(process.env.UV_THREADPOOL_SIZE) || 4;

export const usersConfigSchema = baseConfigSchema.extend({
  PORT: portSchema(4001),
  /** Required on calls to the internal users API (POST /internal/users/contact, sent by the notifier). */
  INTERNAL_API_SECRET: internalApiSecretSchema,
  /** PostgreSQL connection string; when unset, an in-process PGlite database under DATA_DIR. */
  DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  /** Creates the demo accounts below when they are missing (npm start sets it). */
  SEED_DEMO_DATA: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  ADMIN_EMAIL: z.string().email().default('admin@cloudmart.local'),
  ADMIN_PASSWORD: z.string().min(8).default('admin-password'),
  DEMO_EMAIL: z.string().email().default('shopper@cloudmart.local'),
  DEMO_PASSWORD: z.string().min(8).default('shopper-password'),

  // Password hashing (src/passwords.ts, docs/security.md#passwords): argon2id, never below OWASP's
  // minimum of 19 MiB, 2 passes, 1 lane. Changing them re-hashes each account at its next log-in.
  /** argon2id memory per hash, in KiB. */
  PASSWORD_MEMORY_KIB: count(19_456, 19_456),
  /** argon2id passes over that memory. */
  PASSWORD_TIME_COST: count(2, 2),
  /** argon2id lanes (threads of one hash). */
  PASSWORD_PARALLELISM: count(1),
  /**
   * Hashes (sign-up, log-in) that run at once, each on a libuv thread. Default: the CPU cores this
   * process may use, leaving at least one libuv thread for file and DNS work.
   */
  PASSWORD_HASH_CONCURRENCY: count(Math.max(1, Math.min(os.availableParallelism(), libuvThreads - 1))),
  /** Hashes that may wait for a turn; past them a request is refused at once with SERVICE_OVERLOADED. */
  PASSWORD_HASH_QUEUE: count(64, 0),
  /**
   * Longest wait for a turn, in ms: a hash not expected to start within it is refused at once, one
   * still waiting after it is refused then. Well inside the gateway's subgraph timeout.
   */
  PASSWORD_HASH_MAX_WAIT_MS: count(3_000),

  // Failed log-ins (src/login-limits.ts): per account and per client address, a few free failures,
  // then a lock that doubles with each further failure, answered TOO_MANY_ATTEMPTS.
  /** Failed log-ins an account (an email, registered or not) may have before it is locked. */
  LOGIN_FREE_FAILURES_PER_ACCOUNT: count(5, 0),
  /** Failed log-ins a client address may have, across emails, before it is locked. */
  LOGIN_FREE_FAILURES_PER_CLIENT: count(30, 0),
  /** The first lock, in seconds; each further failure doubles it. */
  LOGIN_LOCK_SECONDS: count(1),
  /** The longest lock, in seconds. */
  LOGIN_MAX_LOCK_SECONDS: count(900),
  /** Failures are forgotten this long after the last attempt, in seconds (a correct password forgets an account's at once). */
  LOGIN_FAILURE_MEMORY_SECONDS: count(86_400),
  /** Redis that every replica shares failed log-ins through; unset: each replica counts its own. */
  REDIS_URL: optionalUrlSchema,
});

export type UsersConfig = z.infer<typeof usersConfigSchema>;

export const loadUsersConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(usersConfigSchema, env);
