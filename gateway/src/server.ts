import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import {
  addProbes,
  CloseStack,
  createEventBus,
  createTopicEventBus,
  createLogger,
  identityFromAuthorization,
  InternalTokenSigner,
  jsonErrorHandler,
  loadInternalTokenKeys,
  loadJwtKeys,
  listen,
  maskUnexpectedErrors,
  requestIdOf,
  requestLoggingPlugin,
  type InternalTokenKeys,
  type JwtKeys,
  type Logger,
  type RunningServer,
} from '@cloudmart/runtime';
import { createServiceMetrics, reportConsumerLag } from '@cloudmart/runtime/observability';
import { salesWindowsTopic } from '@cloudmart/insights/contract';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { errorStatusPlugin } from './error-status';
import type { GatewayContext } from './context';
import { SubgraphFetcher } from './subgraph-fetch';
import { leanExpressMiddleware } from './apollo-middleware';
import { SubscriptionEngine, type QueryExecutor } from './subscriptions/engine';
import { orderFeed, salesWindowFeed } from './subscriptions/feeds';
import { serveGraphqlWs } from './subscriptions/graphql-ws';
import { multipartSubscriptions } from './subscriptions/multipart';
import { createEntityCache, followInvalidations } from './entity-cache';
import { createGatewaySecurity } from './security';
import { subgraphsReady } from './subgraph-routing';
import { createSupergraphGateway } from './supergraph-gateway';
import { createFieldUsage } from './usage';
import { developmentLandingPage, EXPLORER_ASSETS_PATH } from './landing-page';

export interface GatewayOptions {
  config: GatewayConfig;
  /** Verifies callers' access tokens. */
  keys: JwtKeys;
  /** Signs the internal tokens subgraphs accept (subgraph trust). */
  gatewayKeys: InternalTokenKeys;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface RunningGateway extends RunningServer {
  /** Subscriptions being served now (tests wait on it instead of sleeping). */
  activeSubscriptions(): number;
}

/**
 * The gateway: @apollo/gateway over the composed supergraph file, in Apollo Server on express. What
 * it opens goes on one close stack as it opens: `stop()` closes it last-first (subscribers before
 * the HTTP drain, the buses, caches and pools after it), and so does a start that fails half-way.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const resources = new CloseStack();
  return resources.closeOnFailure(options.log, () => openGateway(options, resources));
}

async function openGateway(
  { config, keys, gatewayKeys, log, env = process.env }: GatewayOptions,
  resources: CloseStack,
): Promise<RunningGateway> {
  const production = config.NODE_ENV === 'production';
  const metrics = createServiceMetrics('gateway');
  const supergraphSdl = readFileSync(config.SUPERGRAPH_FILE, 'utf8');
  const subgraphFetcher = resources.add(
    new SubgraphFetcher({
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      dedup: config.SUBGRAPH_DEDUP,
      pool: config.SUBGRAPH_POOL,
      poolConnections: config.SUBGRAPH_POOL_CONNECTIONS,
      leanRequests: config.LEAN_PIPELINE,
    }),
  );
  const security = resources.add(createGatewaySecurity(config, supergraphSdl, log));
  const fieldUsage = resources.add(createFieldUsage(config, security.clientSources, metrics, log));
  const landingPage = production ? undefined : developmentLandingPage(config.LANDING_PAGE, log);
  const entityCache = createEntityCache(config, log, metrics);
  if (entityCache) resources.add(entityCache);
  const bus = resources.add(createEventBus(config, log));
  // The entity cache drops what product and order events make stale (entity-cache/invalidation.ts).
  if (entityCache) resources.defer(await followInvalidations({ config, orderBus: bus, cache: entityCache, log }));
  const { gateway, currentSchema } = createSupergraphGateway({
    config,
    supergraphSdl,
    env,
    metrics,
    internalTokens: new InternalTokenSigner(gatewayKeys),
    subgraphFetcher,
    entityCache,
    log,
  });

  const app = express();
  app.disable('x-powered-by');
  // req.ip: the client's address as the proxies in front of the gateway (TRUST_PROXY) report it.
  app.set('trust proxy', config.TRUST_PROXY);
  // GraphQL responses are not revalidated with If-None-Match: no ETag (a hash of every body).
  if (config.LEAN_PIPELINE) app.set('etag', false);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by runMain, which stops the HTTP server and the stores in order.
    stopOnTerminationSignals: false,
    formatError: security.formatError(maskUnexpectedErrors(log)),
    persistedQueries: security.persistedQueries,
    // Apollo's CSRF prevention: a browser can only send a request that needs a CORS preflight.
    csrfPrevention: true,
    // Apollo Server's own fan-out bound, in validation: a second line behind src/security/limits,
    // for documents that skip the HTTP middleware (APQ by hash, subscription events).
    maxRecursiveSelections: config.MAX_RECURSIVE_SELECTIONS,
    logger: log,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      requestLoggingPlugin(),
      ...fieldUsage.plugins, // before security: the document as the client sent it
      ...security.plugins,
      errorStatusPlugin(), // SERVICE_OVERLOADED, TOO_MANY_ATTEMPTS from subgraphs: 503/429 with Retry-After
      // Spans come from @apollo/gateway itself (gateway.request, gateway.plan, gateway.fetch, …).
      metrics.plugin(),
      landingPage?.plugin ?? ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  resources.add(apollo);

  // Subscriptions: each event's selection is resolved by running a query through this same server.
  const executeQuery: QueryExecutor = async (document, variables, context) => {
    const response = await apollo.executeOperation({ query: document, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return response.body.singleResult;
  };
  // insights' closed live sales windows (liveSales); the bus connects when the first subscriber comes.
  const salesWindowBus = resources.add(createTopicEventBus(config, salesWindowsTopic, log));
  const subscriptions = resources.add(
    new SubscriptionEngine({
      feeds: [orderFeed(bus), salesWindowFeed(salesWindowBus)],
      schema: currentSchema,
      executeQuery,
      log,
      bufferSize: config.SUBSCRIPTION_BUFFER_SIZE,
    }),
  );
  await subscriptions.start();
  // Subscribers close before the HTTP drain, so that it can finish: WebSockets with 1001 (going away;
  // graphql-ws clients reconnect and subscribe again, to another replica or to this one restarted),
  // then multipart streams end.
  resources.add(
    serveGraphqlWs({
      httpServer,
      path: '/graphql',
      engine: subscriptions,
      schema: currentSchema,
      keys,
      log,
      maxPayloadBytes: config.MAX_BODY_BYTES,
      checks: security.subscriptionChecks,
      recordUsage: fieldUsage.record,
    }),
  );
  resources.defer(reportConsumerLag({ bus, groupId: subscriptions.groupIdOf('orders'), metrics, log }));

  app.get('/metrics', metrics.handler);
  if (landingPage) app.use(EXPLORER_ASSETS_PATH, landingPage.assets);
  addProbes(app, subgraphsReady(supergraphSdl, env), log);
  app.use(
    '/graphql',
    cors<cors.CorsRequest>({ origin: config.CORS_ORIGINS, credentials: true, maxAge: 600 }),
    express.json({ limit: config.MAX_BODY_BYTES }),
    security.requestChecks,
    multipartSubscriptions({
      engine: subscriptions,
      schema: currentSchema,
      keys,
      log,
      recordUsage: fieldUsage.record,
      cacheSize: config.OPERATION_CACHE_SIZE,
    }),
    // LEAN_PIPELINE: the same middleware without a legacy url.parse per request (./apollo-middleware).
    (config.LEAN_PIPELINE ? leanExpressMiddleware : expressMiddleware)(apollo, {
      context: async ({ req }) => {
        const requestId = requestIdOf(req);
        const authorization = req.headers.authorization;
        const identity = await identityFromAuthorization(keys, authorization);
        return { requestId, identity, authorization, clientAddress: req.ip, log: log.child({ requestId }) };
      },
    }),
  );

  app.use(jsonErrorHandler(log));

  const port = await listen(httpServer, config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/graphql`;
  log.info({ url }, 'gateway ready');
  return {
    url,
    port,
    activeSubscriptions: () => subscriptions.activeCount,
    async stop() {
      await resources.close();
      log.info('gateway stopped');
    },
  };
}

/** Starts the gateway from environment variables (see config.ts): what `src/index.ts` runs. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningGateway> {
  const config = loadGatewayConfig(env);
  const log = createLogger('gateway', config.LOG_LEVEL);
  const keys = await loadJwtKeys(config);
  const gatewayKeys = await loadInternalTokenKeys(config, { needPrivateKey: true });
  return startGateway({ config, keys, gatewayKeys, log, env });
}
