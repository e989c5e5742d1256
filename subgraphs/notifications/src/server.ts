import { createEventBus, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { reportConsumerLag } from '@cloudmart/runtime/observability';
import { loadNotificationsConfig } from './config';
import { NOTIFIER_CONSUMER_GROUP } from './contract';
import type { Context } from './context';
import { createLoaders } from './data/loaders';
import { Notifications } from './domain/notifications';
import { openNotifier } from './open-notifier';
import { resolvers } from './resolvers';
import { OrderNotificationsConsumer } from './workers/order-notifications';

/**
 * The notifications subgraph (config.ts): the notifier on `orders.events` (emails through
 * EMAIL_CHANNEL, texts through SMS_CHANNEL), and the GraphQL API over what it sent and people's
 * preferences.
 */
export const start = defineSubgraph({
  name: 'notifications',
  loadConfig: loadNotificationsConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, metrics, resources }) {
    const { data, notifier } = await openNotifier(config, log, resources, { createTables: true });
    const bus = resources.add(createEventBus(config, log));
    const consumer = resources.add(new OrderNotificationsConsumer(bus, notifier));
    resources.defer(reportConsumerLag({ bus, groupId: NOTIFIER_CONSUMER_GROUP, metrics, log }));
    const notifications = new Notifications(data.notifications, data.preferences, notifier);
    return {
      context: (base): Context => ({ ...base, notifications, loaders: createLoaders(data.preferences) }),
      readiness: tableReadiness(data.client, data.tables.notifications),
      afterListen: () => (config.NOTIFIER_IN_CLUSTER ? consumer.start() : undefined),
    };
  },
});
