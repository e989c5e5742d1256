import { z } from 'zod';
import {
  baseConfigSchema,
  dynamoConfigSchema,
  eventBusConfigSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
} from '@cloudmart/runtime';

const DEVELOPMENT_CURSOR_SECRET = 'cloudmart-development-cursor-secret';

/**
 * Product media (src/services/media-storage): where uploads and their processed variants live.
 * With DynamoDB's settings, all the upload Lambda reads (src/lambda/upload-variants.ts). Not named
 * …ConfigSchema: the deploy generators read a service's settings from its one such export.
 */
export const mediaSettingsSchema = z.object({
  /** The S3 bucket product images are uploaded to and served from. */
  MEDIA_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .default('cloudmart-media'),
  /** A local S3's URL (npm start and the tests set it); unset in production, where it is AWS's S3. */
  S3_ENDPOINT: optionalUrlSchema,
  /** The local S3's key pair; unset in production (the service account's IAM role signs). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /**
   * Where shoppers' browsers load processed images from: in production (required) the CloudFront
   * distribution in front of the bucket; elsewhere by default the bucket's own URL.
   */
  MEDIA_BASE_URL: optionalUrlSchema,
});

export type MediaSettings = z.infer<typeof mediaSettingsSchema> & { AWS_REGION: string };

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
    ...mediaSettingsSchema.shape,
    /** How often uploads never attached lose their original once their URL expired (workers/upload-sweeper.ts). */
    MEDIA_UPLOAD_SWEEP_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && !config.CURSOR_SECRET) {
      context.addIssue({ code: 'custom', path: ['CURSOR_SECRET'], message: 'must be set in production' });
    }
    // The bucket is private: images are served through the CDN, whose domain nothing can guess.
    if (config.NODE_ENV === 'production' && !config.MEDIA_BASE_URL) {
      context.addIssue({ code: 'custom', path: ['MEDIA_BASE_URL'], message: 'must be set in production' });
    }
  })
  .transform((config) => ({ ...config, CURSOR_SECRET: config.CURSOR_SECRET ?? DEVELOPMENT_CURSOR_SECRET }));

export type ProductsConfig = z.infer<typeof productsConfigSchema>;

export const loadProductsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(productsConfigSchema, env);
