import http from 'node:http';
import { readSupergraphConfig, subgraphUrlVariable } from '@cloudmart/runtime';
import type { RunningServer } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from '@cloudmart/scripts/local';
import { makeTempDir } from '@cloudmart/scripts/local';
import { startCountingProxy } from './counting-proxy';
import { listenOnLoopback } from './loopback';
import { copyUsersDatabase, startTestDynamoDb } from './shared-stores';
import { sharedSubgraphs } from './shared-subgraphs';

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
  notifications: () => import('@cloudmart/notifications/server'),
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
   * Extra variables for the gateway alone (its partners file, rate limits, Redis): the subgraphs
   * never see them, so a file with `subgraphs: 'shared'` may set them. `graph.env` includes them.
   */
  gatewayEnv?: NodeJS.ProcessEnv;
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
  /**
   * 'shared': the subgraphs this jest worker shares between its test files (started by the first
   * that asks, in a process of their own: shared-subgraphs.ts); only the gateway and the counting
   * proxies are this supergraph's own, so caches, limits and counts start fresh. For files that
   * create their own users and products and read nothing else: the data of the worker's earlier
   * files is there too. Not with the other options, which ask for subgraphs of a test's own.
   */
  subgraphs?: 'own' | 'shared';
  /**
   * Start only these subgraphs (names from supergraph.yaml), for a file that reads nothing else:
   * each other one costs start-up CPU and polls in the background while the file runs. The gateway
   * still serves the whole supergraph; a subgraph not started answers every request with 503 and a
   * GraphQL error naming it, so a query that reaches one fails instead of passing on missing data.
   */
  only?: readonly string[];
}

/**
 * The whole supergraph in this process, as `npm start` runs it but isolated for a test: every
 * subgraph in supergraph.yaml and the gateway on free ports, data in a temporary folder, tables
 * of its own in DynamoDB Local. With `subgraphs: 'shared'`, only the gateway and its proxies are in
 * this process and the file's own; the subgraphs are its jest worker's (see the option).
 */
export async function startTestSupergraph(options: TestSupergraphOptions = {}): Promise<TestSupergraph> {
  if (options.subgraphs === 'shared') {
    if (options.env || options.external || options.dynamo !== undefined || options.only)
      throw new Error("startTestSupergraph: subgraphs: 'shared' takes no env, external, dynamo or only (those need subgraphs of the test's own; the gateway's own variables go in gatewayEnv)");
    const shared = await sharedSubgraphs();
    const env: NodeJS.ProcessEnv = { ...process.env, ...shared.env };
    const running: RunningServer[] = [];
    const stop = async () => {
      for (const server of running.reverse()) await server.stop();
    };
    try {
      const counts = countingProxies(running);
      for (const [name, url] of Object.entries(shared.subgraphUrls)) env[subgraphUrlVariable(name)] = await counts.proxy(name, url);
      const gateway = await startGateway(env, options.gatewayEnv, running);
      return { gatewayUrl: gateway.url, subgraphUrls: shared.subgraphUrls, ...counts.api, env, gateway, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  }
  const temp = makeTempDir('supergraph');
  const mode = options.dynamo ?? 'shared';
  const tables = mode === 'shared' ? await startTestDynamoDb() : undefined;
  const dynamo = mode === 'own' ? await startDynamoDbLocal({ inMemory: true }) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: temp.dir,
    PORT: '0',
    ...(dynamo ? { DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
    ...(tables ? { DYNAMODB_ENDPOINT: tables.endpoint, DYNAMODB_TABLE_PREFIX: tables.tablePrefix } : {}),
    ...options.env,
  };
  const running: RunningServer[] = [];
  const stop = async () => {
    try {
      for (const server of running.reverse()) await server.stop();
    } finally {
      await tables?.stop();
      await dynamo?.stop();
      temp.remove();
    }
  };
  try {
    if (!env.DATABASE_URL) copyUsersDatabase(env.DATA_DIR!);
    const counts = countingProxies(running);
    const external = options.external ?? {};
    for (const [name, url] of Object.entries(external)) {
      env[subgraphUrlVariable(name)] = url;
      counts.api.subgraphRequests[name] = 0; // not proxied, so not counted
    }
    const absent = absentSubgraphs(options.only, Object.keys(external));
    for (const name of absent) env[subgraphUrlVariable(name)] = await counts.proxy(name, await startAbsentSubgraph(name, running));
    const skip = [...Object.keys(external), ...absent];
    const subgraphUrls = { ...external, ...(await startSubgraphs(env, running, counts.proxy, skip)) };
    const gateway = await startGateway(env, options.gatewayEnv, running);
    return { gatewayUrl: gateway.url, subgraphUrls, ...counts.api, env, dynamo, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The subgraphs of supergraph.yaml that `only` leaves out (none without it), but external ones. */
function absentSubgraphs(only: readonly string[] | undefined, external: readonly string[]): string[] {
  if (!only) return [];
  const names = readSupergraphConfig().subgraphs.map((subgraph) => subgraph.name);
  const unknown = only.filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`startTestSupergraph: only names ${unknown.join(', ')}, not in supergraph.yaml (${names.join(', ')})`);
  return names.filter((name) => !only.includes(name) && !external.includes(name));
}

/**
 * What answers for a subgraph the test did not start: 503 to every request (its readiness probe
 * too) with a GraphQL error that names it, put on `running`. Returns its /graphql URL.
 */
async function startAbsentSubgraph(name: string, running: RunningServer[]): Promise<string> {
  const body = JSON.stringify({ errors: [{ message: `subgraph ${name} was not started by this test (startTestSupergraph's only)` }] });
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' }).end(body);
  });
  const { port, close } = await listenOnLoopback(server);
  const url = `http://127.0.0.1:${port}/graphql`;
  running.push({ url, port, stop: close });
  return url;
}

/**
 * The gateway over the subgraphs `env` points at, with its own variables added to `env` (so that
 * `graph.env` starts another replica like it), put on `running` last.
 */
async function startGateway(env: NodeJS.ProcessEnv, gatewayEnv: NodeJS.ProcessEnv | undefined, running: RunningServer[]): Promise<RunningServer> {
  Object.assign(env, gatewayEnv);
  const gateway = await (await import('@cloudmart/gateway/server')).start(env);
  running.push(gateway);
  return gateway;
}

/**
 * Starts every subgraph of supergraph.yaml (but those in `skip`) in this process, in order, each
 * put on `running` as it starts. The ones after it reach it at the URL `publish` gives for it (a
 * counting proxy, or its own), as does the gateway. Returns each one's own /graphql URL by name.
 */
export async function startSubgraphs(
  env: NodeJS.ProcessEnv,
  running: RunningServer[],
  publish: (name: string, url: string) => Promise<string>,
  skip: readonly string[] = [],
): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const subgraph of readSupergraphConfig().subgraphs) {
    if (skip.includes(subgraph.name)) continue;
    const server = await (await serviceModule(subgraph.name)).start(env);
    running.push(server);
    urls[subgraph.name] = server.url;
    env[subgraphUrlVariable(subgraph.name)] = await publish(subgraph.name, server.url);
  }
  return urls;
}

/** A counting proxy per subgraph (the gateway reaches each through one), and the counts. */
function countingProxies(running: RunningServer[]) {
  const subgraphRequests: Record<string, number> = {};
  return {
    proxy: async (name: string, url: string) => {
      subgraphRequests[name] = 0;
      const proxy = await startCountingProxy(url, () => {
        subgraphRequests[name]! += 1;
      });
      running.push(proxy);
      return proxy.url;
    },
    api: {
      subgraphRequests,
      resetSubgraphRequests: () => {
        for (const name of Object.keys(subgraphRequests)) subgraphRequests[name] = 0;
      },
    },
  };
}
