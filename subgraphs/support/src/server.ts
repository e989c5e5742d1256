import { createRateLimiter, defineSubgraph, tableReadiness } from '@cloudmart/runtime';
import { loadSupportConfig } from './config';
import type { Context } from './context';
import { openSupportData } from './data';
import { Support } from './domain/support';
import { resolvers } from './resolvers';
import { createAssistant } from './services/assistant';
import { GraphQLOrdersClient } from './services/orders';

/**
 * The support subgraph, started from environment variables (see config.ts): creates its missing
 * tables and serves GraphQL. Orders are read through the orders subgraph's GraphQL API, with the
 * gateway's internal token for the caller forwarded.
 */
export const start = defineSubgraph({
  name: 'support',
  loadConfig: loadSupportConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, resources }) {
    const data = resources.add(await openSupportData(config));
    const askLimit = createRateLimiter({
      redisUrl: config.REDIS_URL,
      burst: config.ASK_RATE_LIMIT_BURST,
      perSecond: config.ASK_RATE_LIMIT_PER_MINUTE / 60,
      log,
      name: 'support-ask',
    });
    resources.defer(() => askLimit.close?.());
    const support = new Support(
      {
        conversations: data.conversations,
        tickets: data.tickets,
        returns: data.returns,
        orders: new GraphQLOrdersClient(config.ordersUrl, config.ORDERS_TIMEOUT_MS),
        assistant: createAssistant(config, log),
        returnWindowDays: config.RETURN_WINDOW_DAYS,
        askLimit,
        log,
      },
      log,
    );
    return {
      context: (base): Context => ({ ...base, support }),
      readiness: tableReadiness(data.client, data.tables.conversations),
    };
  },
});
