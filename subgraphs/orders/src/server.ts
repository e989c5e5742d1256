import { afterEachMutation, createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { loadOrdersConfig } from './config';
import type { Context } from './context';
import { openOrdersData } from './data';
import { createLoaders } from './data/loaders';
import { Carts } from './domain/cart';
import { Orders } from './domain/orders';
import { seedOrderHistoryInBackground } from './seed/background';
import { resolvers } from './resolvers';
import { createPaymentsClient } from './services/payments';
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
    const onBacklog = metrics.setOutboxBacklog.bind(metrics);
    const relay = resources.add(new OutboxRelay(data.outbox, bus, log, { onBacklog }));
    // A mutation or a settled payment may have written events to the outbox: relay them now.
    const relayNow = () => relay.nudge();
    const carts = new Carts(data.carts, data.products);
    const payments = createPaymentsClient(config);
    const orders = new Orders({ ...data, cartService: carts, payments, pricing: config.pricing }, log);
    const { CATALOG_CURRENCY: currency, SEED_ORDER_COUNT: count, pricing } = config;
    return {
      context: (base): Context => ({ ...base, orders, carts, currency, loaders: createLoaders(data.orders, data.products) }),
      plugins: [afterEachMutation(relayNow)],
      readiness: tableReadiness(data.client, data.tables.orders),
      afterListen() {
        relay.start();
        const sweeper = new PaymentSweeper(orders, data.orders, log, { ...config.paymentSweep, onSettled: relayNow });
        resources.add(sweeper).start();
        if (config.SEED_DEMO_DATA && count > 0) resources.add(seedOrderHistoryInBackground(data, { count, pricing, log }));
      },
    };
  },
});
