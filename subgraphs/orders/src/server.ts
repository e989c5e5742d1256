import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createEventBus,
  createLogger,
  loadInternalTokenKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { createServiceMetrics } from '@cloudmart/runtime/observability';
import { loadOrdersConfig } from './config';
import type { Context } from './context';
import { openOrdersData } from './data';
import { createLoaders } from './data/loaders';
import { Carts } from './domain/cart';
import { Orders } from './domain/orders';
import { OutboxRelay } from './workers/outbox-relay';
import { seedOrderHistoryInBackground, type BackgroundSeed } from './seed/background';
import { resolvers } from './resolvers';
import { HttpPaymentsClient } from './services/payments';
import { PaymentSweeper } from './workers/payment-sweeper';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/**
 * Starts the orders subgraph from environment variables (see config.ts): creates its missing
 * tables and serves GraphQL. Payments are reached through the payments service's internal API.
 * The outbox relay publishes the outbox's events to the bus EVENT_BUS names while it runs, and
 * the payment sweeper finishes the payments of orders no checkout finished.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadOrdersConfig(env);
  const log = createLogger('orders', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const bus = createEventBus(config, log); // no connection yet: nothing to close if data fails
  const data = await openOrdersData(config);
  const metrics = createServiceMetrics('orders');
  const relay = new OutboxRelay(data.outbox, bus, log, {
    onBacklog: (events, oldestAgeSeconds) => metrics.setOutboxBacklog(events, oldestAgeSeconds),
  });
  let seeding: BackgroundSeed | undefined;
  let sweeper: PaymentSweeper | undefined;
  const closeAll = async () => {
    await seeding?.stop();
    await sweeper?.stop();
    await relay.stop();
    await bus.close();
    data.close();
  };
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
    const server = await startSubgraphServer<Context>({
      name: 'orders',
      metrics,
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({
        ...base,
        orders,
        carts,
        orderStore: data.orders,
        loaders: createLoaders(data.orders, data.products),
        currency: config.CATALOG_CURRENCY,
      }),
      // A mutation may have written events to the outbox: relay them now rather than at the next tick.
      plugins: [
        {
          async requestDidStart() {
            return {
              async willSendResponse({ operation }) {
                if (operation?.operation === 'mutation') relay.nudge();
              },
            };
          },
        },
      ],
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.orders }));
      },
      onStop: closeAll,
    });
    // After the server is up: a start that fails leaves nothing running.
    relay.start();
    sweeper = new PaymentSweeper(orders, data.orders, log, {
      graceMs: config.PAYMENT_SWEEP_GRACE_MS,
      giveUpMs: config.PAYMENT_SWEEP_GIVE_UP_MS,
      intervalMs: config.PAYMENT_SWEEP_INTERVAL_MS,
      // Its outcomes are outbox events: publish them now rather than at the relay's next tick.
      onSettled: () => relay.nudge(),
    });
    sweeper.start();
    if (config.SEED_DEMO_DATA && config.SEED_ORDER_COUNT > 0) {
      seeding = seedOrderHistoryInBackground(data, {
        count: config.SEED_ORDER_COUNT,
        pricing: {
          taxRateBasisPoints: config.TAX_RATE_BASIS_POINTS,
          shippingFee: config.SHIPPING_FEE,
          freeShippingMin: config.FREE_SHIPPING_MIN,
        },
        log,
      });
    }
    return server;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
