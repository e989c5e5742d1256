import { z } from 'zod';
import { baseConfigSchema, loadConfig, portSchema } from '@cloudmart/runtime';

export const usersConfigSchema = baseConfigSchema.extend({
  PORT: portSchema(4001),
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
});

export type UsersConfig = z.infer<typeof usersConfigSchema>;

export const loadUsersConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(usersConfigSchema, env);
