import { z } from 'zod';
import { baseConfigSchema, dynamoConfigSchema, eventBusConfigSchema, loadConfig, portSchema } from '@cloudmart/runtime';

const DEVELOPMENT_CURSOR_SECRET = 'cloudmart-development-cursor-secret';

export const productsConfigSchema = baseConfigSchema
  .extend({
    ...dynamoConfigSchema.shape,
    /** Where catalog changes are published (products.events), for the gateway's entity cache. */
    ...eventBusConfigSchema.shape,
    PORT: portSchema(4002),
    /** Loads the generated demo catalog when the products table is empty (npm start sets it). */
    SEED_DEMO_DATA: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** How many products the demo catalog holds. */
    SEED_PRODUCT_COUNT: z.coerce.number().int().min(1).max(100_000).default(2_000),
    /** Signs pagination cursors (HMAC-SHA256). Every replica needs the same one; required in production. */
    CURSOR_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16).optional()),
    /** The one currency the catalog prices in (ISO 4217). */
    CATALOG_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    /** How often the search index polls the products table's stream for other writers' changes. */
    STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && !config.CURSOR_SECRET) {
      context.addIssue({ code: 'custom', path: ['CURSOR_SECRET'], message: 'must be set in production' });
    }
  })
  .transform((config) => ({ ...config, CURSOR_SECRET: config.CURSOR_SECRET ?? DEVELOPMENT_CURSOR_SECRET }));

export type ProductsConfig = z.infer<typeof productsConfigSchema>;

export const loadProductsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(productsConfigSchema, env);
