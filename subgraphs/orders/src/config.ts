import { z } from 'zod';
import type { PricingRule } from './domain/pricing';
import {
  baseConfigSchema,
  dynamoConfigSchema,
  eventBusConfigSchema,
  internalApiSecret,
  internalApiSecretSchema,
  loadConfig,
  optionalUrlSchema,
  portSchema,
  subgraphUrl,
} from '@cloudmart/runtime';

export const ordersConfigSchema = baseConfigSchema
  .extend({
    ...dynamoConfigSchema.shape,
    ...eventBusConfigSchema.shape,
    PORT: portSchema(4003),
    /**
     * Base URL of the payments service's internal API (without /graphql). Unset: the payments
     * subgraph's SUBGRAPH_PAYMENTS_URL, else its routing_url in supergraph.yaml, minus /graphql.
     */
    PAYMENTS_URL: optionalUrlSchema,
    /** Deadline for one call to the payments service. */
    PAYMENTS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** The currency of an empty cart's subtotal (carts and orders take the catalog's prices). */
    CATALOG_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    /** Sales tax on the subtotal, in basis points (800 = 8%). See src/domain/pricing.ts. */
    TAX_RATE_BASIS_POINTS: z.coerce.number().int().min(0).max(10_000).default(800),
    /** Flat shipping fee, in minor units, for orders under FREE_SHIPPING_MIN. */
    SHIPPING_FEE: z.coerce.number().int().min(0).max(1_000_000).default(599),
    /** Subtotal (minor units) from which shipping is free. */
    FREE_SHIPPING_MIN: z.coerce.number().int().min(0).default(5_000),
    /** Sent on calls to the payments service's internal API, which refuses calls without it. */
    INTERNAL_API_SECRET: internalApiSecretSchema,
    /** Seeds the demo order history when the orders table is empty (npm start sets it). */
    SEED_DEMO_DATA: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** How many orders the seeded history holds (src/seed; also `npm run seed -w @cloudmart/orders`). */
    SEED_ORDER_COUNT: z.coerce.number().int().min(0).max(200_000).default(3_000),
    /**
     * The payment sweeper (src/workers/payment-sweeper.ts): how often it looks for orders left in PENDING_PAYMENT
     * (payments unreachable, or this service stopped mid-checkout)…
     */
    PAYMENT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
    /**
     * …how old such an order must be before the sweeper retries its authorization: longer than a
     * checkout's own call to payments (PAYMENTS_TIMEOUT_MS), so a running checkout is left alone…
     */
    PAYMENT_SWEEP_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
    /**
     * …and how old it may get before the sweeper gives up: PAYMENT_FAILED, its stock released, any
     * authorization that turns up later released. Bounds how long a payments outage holds stock.
     */
    PAYMENT_SWEEP_GIVE_UP_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(7 * 86_400_000)
      .default(300_000),
  })
  .refine((config) => config.PAYMENT_SWEEP_GIVE_UP_MS > config.PAYMENT_SWEEP_GRACE_MS, {
    path: ['PAYMENT_SWEEP_GIVE_UP_MS'],
    message: 'must be longer than PAYMENT_SWEEP_GRACE_MS (an order is retried before it is given up)',
  });

export type OrdersConfig = z.infer<typeof ordersConfigSchema> & {
  paymentsBaseUrl: string;
  internalSecret: string;
  /** TAX_RATE_BASIS_POINTS, SHIPPING_FEE and FREE_SHIPPING_MIN as checkout and the seed price orders. */
  pricing: PricingRule;
  /** PAYMENT_SWEEP_GRACE_MS, PAYMENT_SWEEP_GIVE_UP_MS and PAYMENT_SWEEP_INTERVAL_MS for the sweeper. */
  paymentSweep: { graceMs: number; giveUpMs: number; intervalMs: number };
};

export function loadOrdersConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  const config = loadConfig(ordersConfigSchema, env);
  const paymentsBaseUrl = config.PAYMENTS_URL ?? subgraphUrl('payments', env, { base: true });
  const pricing = {
    taxRateBasisPoints: config.TAX_RATE_BASIS_POINTS,
    shippingFee: config.SHIPPING_FEE,
    freeShippingMin: config.FREE_SHIPPING_MIN,
  };
  const paymentSweep = {
    graceMs: config.PAYMENT_SWEEP_GRACE_MS,
    giveUpMs: config.PAYMENT_SWEEP_GIVE_UP_MS,
    intervalMs: config.PAYMENT_SWEEP_INTERVAL_MS,
  };
  return { ...config, paymentsBaseUrl, internalSecret: internalApiSecret(config), pricing, paymentSweep };
}
