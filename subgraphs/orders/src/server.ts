import { afterEachMutation, createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { loadOrdersConfig } from './config';
import type { Context } from './context';
import { openOrdersData } from './data';
import { createLoaders } from './data/loaders';
import { Carts } from './domain/cart';
import { Orders } from './domain/orders';
import { seedOrderHistoryInBackground } from './seed/background';
import { resolvers } from './resolvers';
import { HttpPaymentsClient } from './services/payments';
import { OutboxRelay } from './workers/outbox-relay';
import { PaymentSweeper } from './workers/payment-sweeper';

/**
 * The orders subgraph (config.ts). It calls the payments service's internal API; the outbox relay
 * publishes to the bus EVENT_BUS names; the payment sweeper finishes payments no checkout finished.
 */
export const start = defineSubgraph({
  name: 'orders',
  loadConfig: loadOrdersConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, metrics, resources }) {
    const bus = resources.add(createEventBus(config, log)); // connects at the first publish
    const data = resources.add(await openOrdersData(config));
    const relay = resources.add(new OutboxRelay(data.outbox, bus, log, { onBacklog: metrics.setOutboxBacklog.bind(metrics) }));
    const carts = new Carts(data.carts, data.products);
    const payments = new HttpPaymentsClient(config.paymentsBaseUrl, config.PAYMENTS_TIMEOUT_MS, config.internalSecret);
    const orders = new Orders({ ...data, cartService: carts, payments, pricing: config.pricing }, log);
    return {
      context: (base): Context => ({
        ...base, orders, carts, currency: config.CATALOG_CURRENCY,
        loaders: createLoaders(data.orders, data.products),
      }),
      // A mutation may have written events to the outbox: relay them now rather than at the next tick.
      plugins: [afterEachMutation(() => relay.nudge())],
      readiness: tableReadiness(data.client, data.tables.orders),
      afterListen() {
        relay.start();
        const onSettled = () => relay.nudge(); // its outcomes are outbox events: publish them now
        resources.add(new PaymentSweeper(orders, data.orders, log, { ...config.paymentSweep, onSettled })).start();
        if (config.SEED_DEMO_DATA && config.SEED_ORDER_COUNT > 0) {
          resources.add(seedOrderHistoryInBackground(data, { count: config.SEED_ORDER_COUNT, pricing: config.pricing, log }));
        }
      },
    };
  },
});
