import path from 'node:path';
import { readSupergraphConfig, subgraphUrlVariable } from '@cloudmart/runtime';
import { repoRoot } from '@cloudmart/runtime';
import type { RunningServer } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from '@cloudmart/scripts/local';
import { makeTempDir } from '@cloudmart/scripts/local';
import { startCountingProxy } from './counting-proxy';

/** Every service's `src/server.ts` exports `start(env)`; the harness relies on that convention. */
type ServiceModule = { start(env: NodeJS.ProcessEnv): Promise<RunningServer> };

export interface TestSupergraph {
  /** The gateway's /graphql URL. */
  gatewayUrl: string;
  /** Each subgraph's /graphql URL, by name (direct, not through the counting proxy). */
  subgraphUrls: Record<string, string>;
  /** GraphQL requests the gateway has sent to each subgraph, by name, since the last reset. */
  subgraphRequests: Record<string, number>;
  resetSubgraphRequests(): void;
  /** The environment the services were started with (DATA_DIR, DYNAMODB_ENDPOINT, …). */
  env: NodeJS.ProcessEnv;
  dynamo?: DynamoDbLocal;
  /** The gateway as its `start` returned it (the gateway's tests read its extra fields). */
  gateway: RunningServer;
  stop(): Promise<void>;
}

export interface TestSupergraphOptions {
  /** Extra variables for every service (e.g. DATABASE_URL for a real PostgreSQL). */
  env?: NodeJS.ProcessEnv;
  /** Start DynamoDB Local in memory (default true). */
  dynamo?: boolean;
  /**
   * Subgraphs the test runs itself, by name → /graphql URL (e.g. one in a child process that the
   * test kills, see startServiceProcess): not started here; the other services and the gateway
   * are pointed at that URL.
   */
  external?: Record<string, string>;
}

/**
 * The whole supergraph in this process, as `npm start` runs it but isolated for a test: every
 * subgraph in supergraph.yaml and the gateway on free ports, data in a temporary folder,
 * DynamoDB Local in memory.
 */
export async function startTestSupergraph(options: TestSupergraphOptions = {}): Promise<TestSupergraph> {
  const temp = makeTempDir('supergraph');
  const dynamo = options.dynamo === false ? undefined : await startDynamoDbLocal({ inMemory: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: temp.dir,
    PORT: '0',
    ...(dynamo ? { DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
    ...options.env,
  };
  const running: RunningServer[] = [];
  const stop = async () => {
    for (const server of running.reverse()) await server.stop();
    await dynamo?.stop();
    temp.remove();
  };
  try {
    const subgraphUrls: Record<string, string> = {};
    const subgraphRequests: Record<string, number> = {};
    for (const [name, url] of Object.entries(options.external ?? {})) {
      env[subgraphUrlVariable(name)] = url;
      subgraphUrls[name] = url;
      subgraphRequests[name] = 0; // not proxied, so not counted
    }
    for (const subgraph of readSupergraphConfig().subgraphs) {
      if (options.external?.[subgraph.name]) continue;
      const service = (await import(path.join(subgraph.packageDir, 'src', 'server.ts'))) as ServiceModule;
      const server = await service.start(env);
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
    const gatewayModule = (await import(path.join(repoRoot, 'gateway', 'src', 'server.ts'))) as ServiceModule;
    const gateway = await gatewayModule.start(env);
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
