import { z } from 'zod';
import {
  baseConfigSchema,
  dynamoConfigSchema,
  internalApiSecretSchema,
  loadConfig,
  portSchema,
} from '@cloudmart/runtime';

export const paymentsConfigSchema = baseConfigSchema.extend({
  ...dynamoConfigSchema.shape,
  PORT: portSchema(4004),
  /**
   * Which payment provider adapter to use. Only `simulated` exists so far: a deterministic local
   * processor honouring test tokens. A real provider is another adapter behind the same port
   * (src/services/payment-provider.ts).
   */
  PAYMENT_PROVIDER: z.enum(['simulated']).default('simulated'),
  /** Required on calls to the internal payments API (sent by the orders subgraph). */
  INTERNAL_API_SECRET: internalApiSecretSchema,
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(paymentsConfigSchema, env);
