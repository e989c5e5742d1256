import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express, { type Express } from 'express';
import type { DocumentNode } from 'graphql';
import type { Identity } from './auth';
import { InternalTokenVerifier, type InternalTokenKeys } from './internal-token';
import { maskUnexpectedErrors } from './errors';
import { addProbes, jsonErrorHandler, listen, requestIdOf } from './http';
import { requestLoggingPlugin } from './request-logging';
import type { Logger } from './logger';
import { createServiceMetrics, tracingPlugin, type ServiceMetrics } from './observability';

/** What every resolver of every subgraph can count on. Subgraphs extend it. */
export interface BaseContext {
  requestId: string;
  log: Logger;
  identity: Identity | null;
  /**
   * The Authorization header as received: the gateway's internal token for this caller, which a
   * subgraph forwards when it calls another service on the caller's behalf.
   */
  authorization?: string;
  /**
   * The client's IP address as the gateway saw it (`x-client-address`): trusted because a subgraph
   * serves only requests that carry the gateway's token. Absent for the gateway's own fetches.
   */
  clientAddress?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting requests and lets in-flight ones finish (a declared subgraph: its close stack). */
  stop(): Promise<void>;
}

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The codegen-typed resolver map; its static type is checked where it is written. */
  resolvers: object;
  port: number;
  host: string;
  production: boolean;
  /** Verifies the gateway's internal tokens: the only requests a subgraph serves (internal-token.ts). */
  gatewayKeys: InternalTokenKeys;
  log: Logger;
  /** Adds per-request state (DataLoaders, stores) to the base context. */
  createContext(base: BaseContext): TContext | Promise<TContext>;
  readiness?: () => Promise<void>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Extra HTTP routes (e.g. an internal API), registered before the JSON error handler. */
  routes?: (app: Express) => void;
  /** The service's Prometheus metrics, when it reports gauges of its own (served at /metrics). */
  metrics?: ServiceMetrics;
}

/** Starts one subgraph: Apollo Server over buildSubgraphSchema, with probes and graceful stop. */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningServer> {
  const { log } = options;
  const metrics = options.metrics ?? createServiceMetrics(options.name);
  const gatewayTokens = new InternalTokenVerifier(options.gatewayKeys);
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: options.typeDefs,
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by runMain, which stops the HTTP server and the stores in order.
    stopOnTerminationSignals: false,
    formatError: maskUnexpectedErrors(log),
    logger: log,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestLoggingPlugin<TContext>(),
      tracingPlugin<TContext>(options.name),
      metrics.plugin<TContext>(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  addProbes(app, options.readiness ?? (async () => {}), log);
  app.get('/metrics', metrics.handler);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIdOf(req);
        const identity = await gatewayTokens.identityOf(req.headers.authorization);
        const clientAddress = req.headers['x-client-address'];
        return options.createContext({
          requestId,
          identity,
          authorization: req.headers.authorization,
          clientAddress:
            typeof clientAddress === 'string' && clientAddress.length <= 64 ? clientAddress : undefined,
          log: log.child({ requestId }),
        });
      },
    }),
  );
  options.routes?.(app);

  app.use(jsonErrorHandler(log));

  const port = await listen(httpServer, options.port, options.host);
  const url = `http://${options.host}:${port}/graphql`;
  log.info({ url }, `${options.name} subgraph ready`);

  return {
    url,
    port,
    async stop() {
      await apollo.stop();
      log.info(`${options.name} subgraph stopped`);
    },
  };
}
