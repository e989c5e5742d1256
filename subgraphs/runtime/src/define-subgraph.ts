import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Express } from 'express';
import { CloseStack } from './close-stack';
import type { BaseConfig } from './config';
import { loadInternalTokenKeys, type InternalTokenKeys } from './internal-token';
import { createLogger, type Logger } from './logger';
import { createServiceMetrics, type ServiceMetrics } from './observability';
import { loadTypeDefs } from './schema';
import { startSubgraphServer, type BaseContext, type RunningServer } from './subgraph-server';

/** What defineSubgraph reads from a subgraph's configuration, besides the service's own settings. */
export type SubgraphConfig = BaseConfig & { PORT: number };

/** What a subgraph's `open` receives: its configuration and what the runtime made for it. */
export interface SubgraphSetup<TConfig> {
  config: TConfig;
  log: Logger;
  /** Verifies the gateway's internal tokens: GraphQL requests, and any internal HTTP API. */
  gatewayKeys: InternalTokenKeys;
  metrics: ServiceMetrics;
  /** Register each resource here as it is opened: closed last-first at stop or on a failed start. */
  resources: CloseStack;
}

/** What a subgraph's `open` hands back to be served. */
export interface SubgraphParts<TContext extends BaseContext, TExtras> {
  /** Adds per-request state (DataLoaders, domain objects) to the base context. */
  context(base: BaseContext): TContext | Promise<TContext>;
  /** Answers /ready; `tableReadiness` is the usual one. Without it the service is ready once it listens. */
  readiness?: () => Promise<void>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra HTTP routes (an internal API), registered before the JSON error handler. */
  routes?: (app: Express) => void;
  /**
   * Background work started once the server listens (consumers, sweepers, seeders), so that a start
   * that fails before it leaves nothing running; it registers what it starts on `resources` too.
   */
  afterListen?: () => void | Promise<void>;
  /** Fields added to the returned server (what tests read, e.g. the users database). */
  extras?: TExtras;
}

export interface SubgraphDefinition<TConfig extends SubgraphConfig, TContext extends BaseContext, TExtras> {
  name: string;
  loadConfig(env: NodeJS.ProcessEnv): TConfig;
  /**
   * The server module's `__dirname`: src/, or dist/ once bundled. Either way the subgraph's
   * schema.graphql is in the folder above, where the layout puts it.
   */
  dirname: string;
  /** The codegen-typed resolver map; its static type is checked where it is written. */
  resolvers: object;
  /** Opens the service's stores, clients and workers, registering each on `resources`. */
  open(setup: SubgraphSetup<TConfig>): Promise<SubgraphParts<TContext, TExtras>>;
}

/** An Apollo plugin that calls `then` after every mutation's response (e.g. to wake a relay). */
export function afterEachMutation<TContext extends BaseContext>(
  then: () => void,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === 'mutation') then();
        },
      };
    },
  };
}

/** A readiness probe: every named DynamoDB table answers DescribeTable. */
export function tableReadiness(client: DynamoDBDocumentClient, ...tables: string[]): () => Promise<void> {
  return async () => {
    await Promise.all(tables.map((TableName) => client.send(new DescribeTableCommand({ TableName }))));
  };
}

/**
 * A subgraph as a declaration: the returned `start(env)` reads the configuration, makes the logger,
 * the internal-token keys and the metrics, opens the service, and serves its schema. Everything goes
 * on one close stack in the order it opens: what `open` registers, then the HTTP server, then what
 * `afterListen` starts. `stop()` closes it last-first, so background work started after listening
 * stops, then the HTTP server drains its in-flight requests, then the stores and buses they used
 * close. A start that fails at any step closes what it had opened before rethrowing.
 */
export function defineSubgraph<
  TConfig extends SubgraphConfig,
  TContext extends BaseContext,
  TExtras = object,
>(
  definition: SubgraphDefinition<TConfig, TContext, TExtras>,
): (env?: NodeJS.ProcessEnv) => Promise<RunningServer & TExtras> {
  return async (env = process.env) => {
    const config = definition.loadConfig(env);
    const log = createLogger(definition.name, config.LOG_LEVEL);
    const gatewayKeys = await loadInternalTokenKeys(config);
    const metrics = createServiceMetrics(definition.name);
    const resources = new CloseStack();
    return resources.closeOnFailure(log, async () => {
      const parts = await definition.open({ config, log, gatewayKeys, metrics, resources });
      const server = resources.add(
        await startSubgraphServer<TContext>({
          name: definition.name,
          typeDefs: loadTypeDefs(path.join(definition.dirname, '..', 'schema.graphql')),
          resolvers: definition.resolvers,
          port: config.PORT,
          host: config.HOST,
          production: config.NODE_ENV === 'production',
          gatewayKeys,
          log,
          metrics,
          createContext: parts.context,
          readiness: parts.readiness,
          plugins: parts.plugins,
          routes: parts.routes,
        }),
      );
      await parts.afterListen?.();
      return {
        ...(parts.extras as TExtras),
        url: server.url,
        port: server.port,
        stop: () => resources.close(),
      };
    });
  };
}
