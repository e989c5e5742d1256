import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  createLogger,
  createRateLimiter,
  loadInternalTokenKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { loadSupportConfig, type SupportConfig } from './config';
import type { Context } from './context';
import { openSupportData } from './data';
import { Support } from './domain/support';
import { resolvers } from './resolvers';
import { FallbackAssistant } from './services/assistant/fallback';
import { LocalAssistant } from './services/assistant/local-engine';
import { OpenAIAssistant } from './services/assistant/openai';
import type { AssistantPort } from './services/assistant/port';
import { GraphQLOrdersClient } from './services/orders';
import type { Logger } from '@cloudmart/runtime';

const schemaFile = path.join(__dirname, '..', 'schema.graphql');

/** SUPPORT_ASSISTANT picks the adapter; OpenAI always falls back to the local engine. */
export function createAssistant(config: SupportConfig, log: Logger): AssistantPort {
  const local = new LocalAssistant();
  if (config.SUPPORT_ASSISTANT === 'local') return local;
  const openai = new OpenAIAssistant({
    apiKey: config.OPENAI_API_KEY!,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
  return new FallbackAssistant(openai, local, log);
}

/**
 * Starts the support subgraph from environment variables (see config.ts): creates its missing
 * tables and serves GraphQL. Orders are read through the orders subgraph's GraphQL API with each
 * caller's own token.
 */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadSupportConfig(env);
  const log = createLogger('support', config.LOG_LEVEL);
  const gatewayKeys = await loadInternalTokenKeys(config);
  const data = await openSupportData(config);
  const askLimit = createRateLimiter({
    redisUrl: config.REDIS_URL,
    burst: config.ASK_RATE_LIMIT_BURST,
    perSecond: config.ASK_RATE_LIMIT_PER_MINUTE / 60,
    log,
    name: 'support-ask',
  });
  const closeAll = async () => {
    await askLimit.close?.();
    data.close();
  };
  try {
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
    return await startSubgraphServer<Context>({
      name: 'support',
      typeDefs: loadTypeDefs(schemaFile),
      resolvers,
      port: config.PORT,
      host: config.HOST,
      production: config.NODE_ENV === 'production',
      gatewayKeys,
      log,
      createContext: (base) => ({ ...base, support }),
      readiness: async () => {
        await data.client.send(new DescribeTableCommand({ TableName: data.tables.conversations }));
      },
      onStop: closeAll,
    });
  } catch (error) {
    await closeAll();
    throw error;
  }
}
