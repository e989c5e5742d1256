import { readSupergraphConfig, subgraphUrlVariable } from '@cloudmart/runtime';
import type { RunningServer } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from '@cloudmart/scripts/local';
import { makeTempDir } from '@cloudmart/scripts/local';
import { startCountingProxy } from './counting-proxy';
import { copyUsersDatabase, deleteTables, sharedDynamoDb } from './shared-stores';

type ServiceModule = { start(env: NodeJS.ProcessEnv): Promise<RunningServer> };

// Each service's `start(env)`, by its name in supergraph.yaml (which decides what starts, and in
// which order); imported when first started, by package name.
const services: Record<string, () => Promise<ServiceModule>> = {
  users: () => import('@cloudmart/users/server'),
  products: () => import('@cloudmart/products/server'),
  payments: () => import('@cloudmart/payments/server'),
  orders: () => import('@cloudmart/orders/server'),
  recommendations: () => import('@cloudmart/recommendations/server'),
  support: () => import('@cloudmart/support/server'),
  insights: () => import('@cloudmart/insights/server'),
};

function serviceModule(name: string): Promise<ServiceModule> {
  const load = services[name];
  if (!load) throw new Error(`supergraph.yaml lists the subgraph "${name}", which test-kit's supergraph.ts cannot start: add it to its services`);
  return load();
}

export interface TestSupergraph {
  /** The gateway's /graphql URL. */
  gatewayUrl: string;
  /** Each subgraph's /graphql URL, by name (direct, not through the counting proxy). */
  subgraphUrls: Record<string, string>;
  /** GraphQL requests the gateway has sent to each subgraph, by name, since the last reset. */
  subgraphRequests: Record<string, number>;
  resetSubgraphRequests(): void;
  /** The environment the services were started with (DATA_DIR, DYNAMODB_ENDPOINT, DYNAMODB_TABLE_PREFIX, …). */
  env: NodeJS.ProcessEnv;
  /** DynamoDB Local when this supergraph started its own (`dynamo: 'own'`), for a test to stop it. */
  dynamo?: DynamoDbLocal;
  /** The gateway as its `start` returned it (the gateway's tests read its extra fields). */
  gateway: RunningServer;
  stop(): Promise<void>;
}

export interface TestSupergraphOptions {
  /** Extra variables for every service (e.g. DATABASE_URL for a real PostgreSQL). */
  env?: NodeJS.ProcessEnv;
  /**
   * DynamoDB Local. 'shared' (default): the jest run's, under a table prefix of this supergraph's
   * own, its tables deleted at stop (outside jest: one of its own). 'own': one of its own, in
   * memory, that the test may stop (`graph.dynamo`). false: none; the test passes
   * DYNAMODB_ENDPOINT in `env`.
   */
  dynamo?: 'shared' | 'own' | false;
  /**
   * Subgraphs the test runs itself, by name → /graphql URL (e.g. one in a child process that the
   * test kills, see startServiceProcess): not started here; the other services and the gateway
   * are pointed at that URL.
   */
  external?: Record<string, string>;
}

/**
 * The whole supergraph in this process, as `npm start` runs it but isolated for a test: every
 * subgraph in supergraph.yaml and the gateway on free ports, data in a temporary folder, tables
 * of its own in DynamoDB Local.
 */
export async function startTestSupergraph(options: TestSupergraphOptions = {}): Promise<TestSupergraph> {
  const temp = makeTempDir('supergraph');
  const mode = options.dynamo ?? 'shared';
  const shared = mode === 'shared' ? sharedDynamoDb() : undefined;
  const dynamo = mode === 'own' || (mode === 'shared' && !shared) ? await startDynamoDbLocal({ inMemory: true }) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: temp.dir,
    PORT: '0',
    ...(dynamo ? { DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
    ...(shared ? { DYNAMODB_ENDPOINT: shared.endpoint, DYNAMODB_TABLE_PREFIX: shared.tablePrefix } : {}),
    ...options.env,
  };
  const running: RunningServer[] = [];
  const stop = async () => {
    try {
      for (const server of running.reverse()) await server.stop();
      if (shared) await deleteTables(env);
    } finally {
      await dynamo?.stop();
      temp.remove();
    }
  };
  try {
    if (!env.DATABASE_URL) copyUsersDatabase(env.DATA_DIR!);
    const subgraphUrls: Record<string, string> = {};
    const subgraphRequests: Record<string, number> = {};
    for (const [name, url] of Object.entries(options.external ?? {})) {
      env[subgraphUrlVariable(name)] = url;
      subgraphUrls[name] = url;
      subgraphRequests[name] = 0; // not proxied, so not counted
    }
    for (const subgraph of readSupergraphConfig().subgraphs) {
      if (options.external?.[subgraph.name]) continue;
      const server = await (await serviceModule(subgraph.name)).start(env);
      running.push(server);
      subgraphUrls[subgraph.name] = server.url;
      subgraphRequests[subgraph.name] = 0;
      // The gateway reaches each subgraph through a counting proxy, so tests can assert how
      // many fetches a query plan makes.
      const proxy = await startCountingProxy(server.url, () => {
        subgraphRequests[subgraph.name]! += 1;
      });
      running.push(proxy);
      env[subgraphUrlVariable(subgraph.name)] = proxy.url;
    }
    const gateway = await (await import('@cloudmart/gateway/server')).start(env);
    running.push(gateway);
    const resetSubgraphRequests = () => {
      for (const name of Object.keys(subgraphRequests)) subgraphRequests[name] = 0;
    };
    return { gatewayUrl: gateway.url, subgraphUrls, subgraphRequests, resetSubgraphRequests, env, dynamo, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
