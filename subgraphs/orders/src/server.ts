import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createLogger,
  loadJwtKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { loadOrdersConfig } from './config';
import type { Context } from './context';
import { openOrdersData } from './data';
import { createLoaders } from './data/loaders';
import { Carts } from './domain/cart';
import { Orders } from './domain/orders';
import { resolvers } from './resolvers';
import { HttpPaymentsClient } from './services/payments';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the orders subgraph from environment variables (see config.ts): creates its missing
 * tables and serves GraphQL. Payments are reached through the payments service's internal API.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadOrdersConfig(env);
  const log = createLogger('orders', config.LOG_LEVEL);
  const keys = await loadJwtKeys(config);
  const data = await openOrdersData(config);
  try {
    const carts = new Carts(data.carts, data.products);
    const orders = new Orders(
      {
        orders: data.orders,
        carts: data.carts,
        cartService: carts,
        products: data.products,
        payments: new HttpPaymentsClient(
          config.paymentsBaseUrl,
          config.PAYMENTS_TIMEOUT_MS,
          config.internalSecret,
        ),
        pricing: {
          taxRateBasisPoints: config.TAX_RATE_BASIS_POINTS,
          shippingFee: config.SHIPPING_FEE,
          freeShippingMin: config.FREE_SHIPPING_MIN,
        },
      },
      log,
    );
    return await startSubgraphServer<Context>({
      name: 'orders',
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      keys,
      log,
      createContext: (base) => ({
        ...base,
        orders,
        carts,
        orderStore: data.orders,
        loaders: createLoaders(data.orders, data.products),
        currency: config.CATALOG_CURRENCY,
      }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.orders }));
      },
      onStop: async () => data.close(),
    });
  } catch (error) {
    data.close();
    throw error;
  }
}
