import { defineSubgraph, internalApiSecret, tableReadiness } from '@cloudmart/runtime';
import { loadPaymentsConfig } from './config';
import type { Context } from './context';
import { openPaymentsData } from './data';
import { createLoaders } from './data/loaders';
import { PaymentService } from './domain/payment-service';
import { internalPaymentRoutes } from './http/internal-api';
import { resolvers } from './resolvers';
import { createPaymentProvider } from './services/payment-provider';

/**
 * The payments subgraph, started from environment variables (see config.ts): creates missing
 * tables, serves GraphQL (Order.payment) and the internal payment API the orders subgraph calls.
 */
export const start = defineSubgraph({
  name: 'payments',
  loadConfig: loadPaymentsConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, gatewayKeys, resources }) {
    const data = resources.add(await openPaymentsData(config));
    const payments = new PaymentService(data.payments, createPaymentProvider(config.PAYMENT_PROVIDER));
    return {
      context: (base): Context => ({ ...base, payments, loaders: createLoaders(data.payments) }),
      routes: internalPaymentRoutes(payments, { gatewayKeys, secret: internalApiSecret(config), log }),
      readiness: tableReadiness(data.client, data.tables.payments),
    };
  },
});
