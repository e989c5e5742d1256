import path from 'node:path';
import DataLoader from 'dataloader';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createLogger,
  internalApiSecret,
  loadInternalTokenKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { loadPaymentsConfig } from './config';
import type { Context } from './context';
import { openPaymentsData } from './data';
import { PaymentService } from './domain/payment-service';
import { internalPaymentRoutes } from './http/internal-api';
import { resolvers } from './resolvers';
import { createPaymentProvider } from './services/payment-provider';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the payments subgraph from environment variables (see config.ts): creates missing tables,
 * serves GraphQL (Order.payment) and the internal payment API the orders subgraph calls.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadPaymentsConfig(env);
  const log = createLogger('payments', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const data = await openPaymentsData(config);
  try {
    const service = new PaymentService(data.payments, createPaymentProvider(config.PAYMENT_PROVIDER));
    return await startSubgraphServer<Context>({
      name: 'payments',
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({
        ...base,
        payments: service,
        paymentByOrderId: new DataLoader(async (orderIds) => {
          const found = new Map((await data.payments.getMany(orderIds)).map((item) => [item.orderId, item]));
          return orderIds.map((id) => found.get(id) ?? null);
        }),
      }),
      routes: internalPaymentRoutes(service, { gatewayKeys, secret: internalApiSecret(config), log }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.payments }));
      },
      onStop: async () => data.close(),
    });
  } catch (error) {
    data.close();
    throw error;
  }
}
