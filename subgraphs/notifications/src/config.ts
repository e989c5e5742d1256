import { z } from 'zod';
import {
  baseConfigSchema,
  ConfigError,
  dynamoConfigSchema,
  eventBusConfigSchema,
  internalApiSecret,
  internalApiSecretSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
  subgraphUrl,
} from '@cloudmart/runtime';

const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());

/**
 * What the notifier reads, wherever it runs: in the service (below) or as the Lambda on MSK
 * (src/lambda/order-events.ts), which needs nothing else.
 */
export const notifierSettingsSchema = baseConfigSchema.extend({
  ...dynamoConfigSchema.shape,
  ...eventBusConfigSchema.shape,
  /** `smtp`: any SMTP relay (MailDev under `npm start`); `ses`: Amazon SES v2 in AWS_REGION. */
  EMAIL_CHANNEL: z.enum(['smtp', 'ses']).default('smtp'),
  /** `smtp`: texts go to the SMTP relay as mail to <number>@sms.localhost (local); `sns`: Amazon SNS SMS. */
  SMS_CHANNEL: z.enum(['smtp', 'sns']).default('smtp'),
  /** smtp://host:port or smtps://user:password@host:port (the password makes it a secret). */
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'expected smtp://… or smtps://…').default('smtp://127.0.0.1:1025'),
  /** The sender of every email (a verified SES identity in AWS). */
  EMAIL_FROM: z.string().min(3).default('CloudMart <orders@cloudmart.localhost>'),
  /** Another SES API root (a local fake in tests); unset in AWS. */
  SES_ENDPOINT: optionalUrlSchema,
  /** The SES configuration set recording deliveries, bounces and complaints; optional. */
  SES_CONFIGURATION_SET: optionalString,
  /** Another SNS API root (a local fake in tests); unset in AWS. */
  SNS_ENDPOINT: optionalUrlSchema,
  /** The sender name texts show where carriers allow one: 1–11 letters and digits. */
  SMS_SENDER_ID: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/).optional(),
  ),
  /** The shop's name in messages, and the web app's address their links point to. */
  SHOP_NAME: z.string().min(1).max(60).default('CloudMart'),
  SHOP_URL: z.url().default('http://127.0.0.1:3000'),
  /** The users service's internal API (contacts and addresses); unset: SUBGRAPH_USERS_URL, else supergraph.yaml. */
  USERS_URL: optionalUrlSchema,
  USERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  INTERNAL_API_SECRET: internalApiSecretSchema,
  /** Sends of one notification before it is dead-lettered (FAILED), when the provider keeps failing. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The pause before the first retry; each next one is four times longer, at most 30 s. */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
});

export const notificationsConfigSchema = notifierSettingsSchema.extend({
  PORT: portSchema(4008),
  /**
   * Whether this service consumes `orders.events` itself (the default). `false` where the notifier
   * runs as the Lambda on MSK instead (infra/aws/modules/event-lambdas): both in one consumer
   * group would split the partitions between them.
   */
  NOTIFIER_IN_CLUSTER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});

export type NotifierSettings = z.infer<typeof notifierSettingsSchema> & {
  usersBaseUrl: string;
  internalSecret: string;
};
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema> & NotifierSettings;

/** What the settings derive: where users' internal API is, and the internal secret. */
function withDerived<T extends z.infer<typeof notifierSettingsSchema>>(config: T, env: NodeJS.ProcessEnv) {
  if (config.NODE_ENV === 'production' && !env.SHOP_URL) {
    throw new ConfigError("Invalid configuration:\n  SHOP_URL: must be set in production (the shop's public address, for links in messages) (not set)");
  }
  return {
    ...config,
    usersBaseUrl: config.USERS_URL ?? subgraphUrl('users', env, { base: true }),
    internalSecret: internalApiSecret(config),
  };
}

export const loadNotifierSettings = (env: NodeJS.ProcessEnv = process.env): NotifierSettings =>
  withDerived(loadConfig(notifierSettingsSchema, env), env);

export const loadNotificationsConfig = (env: NodeJS.ProcessEnv = process.env): NotificationsConfig =>
  withDerived(loadConfig(notificationsConfigSchema, env), env);
