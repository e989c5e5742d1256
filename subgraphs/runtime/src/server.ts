import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { DocumentNode } from 'graphql';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Identity } from './auth';
import { CloseStack } from './close-stack';
import { InternalTokenVerifier, loadInternalTokenKeys, type InternalTokenKeys } from './internal-token';
import { maskUnexpectedErrors } from './errors';
import { requestLoggingPlugin } from './request-logging';
import { createLogger, type Logger } from './logger';
import { processWatchdog, type EventLoopWatchdog } from './event-loop-watchdog';
import { baseConfigSchema, loadConfig, type BaseConfig } from './config';
import { loadTypeDefs } from './schema';
import { createServiceMetrics, startTracing, tracingPlugin, type ServiceMetrics } from './observability';

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
  /** Stops accepting requests, lets in-flight ones finish, then runs the service's own clean-up. */
  stop(): Promise<void>;
}

/** Request ids come from the gateway (or any caller) and are made up when missing. */
export function requestIdOf(req: Request): string {
  const header = req.headers['x-request-id'];
  const id = Array.isArray(header) ? header[0] : header;
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : randomUUID();
}

const READINESS_TIMEOUT_MS = 3_000;

/**
 * `/health` says the process is alive; `/ready` that it can serve (its stores answer within a
 * deadline: a store that hangs makes the service unready rather than hanging the probe).
 */
export function addProbes(
  app: Express,
  readiness: () => Promise<void>,
  log: Logger,
  watchdog: EventLoopWatchdog = processWatchdog,
): void {
  watchdog.start();
  // Liveness: a process whose event loop stalls (a request that never yields, say) is of no use
  // and must be replaced. Blocked now, this cannot answer and the probe times out; blocked
  // recently (EVENT_LOOP_MAX_BLOCK_MS), it answers 503 for EVENT_LOOP_BLOCK_HOLD_MS.
  app.get('/health', (_req, res) => {
    const block = watchdog.lastBlock();
    if (block) {
      res.status(503).json({ status: 'blocked', ...block });
      return;
    }
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        readiness(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('readiness check timed out')), READINESS_TIMEOUT_MS);
        }),
      ]);
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * Errors raised before GraphQL runs (a body over the size limit, malformed JSON) answered as a
 * GraphQL-shaped JSON error with a code, instead of express's HTML page with a stack trace.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'unexpected HTTP error');
    const message =
      error.type === 'entity.too.large'
        ? 'The request body is too large.'
        : status === 500
          ? 'Internal server error'
          : 'The request body is not valid JSON.';
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
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
  /** Closes the service's own resources after the HTTP server has drained. */
  onStop?: () => Promise<void>;
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
          clientAddress: typeof clientAddress === 'string' && clientAddress.length <= 64 ? clientAddress : undefined,
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
      await options.onStop?.();
      log.info(`${options.name} subgraph stopped`);
    },
  };
}

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
export function afterEachMutation<TContext extends BaseContext>(then: () => void): ApolloServerPlugin<TContext> {
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
 * the internal-token keys and the metrics, opens the service, and serves its schema. `stop()` drains
 * the HTTP server first, then closes the service's resources in reverse order of opening; a start
 * that fails at any step closes what it had opened before rethrowing.
 */
export function defineSubgraph<TConfig extends SubgraphConfig, TContext extends BaseContext, TExtras = object>(
  definition: SubgraphDefinition<TConfig, TContext, TExtras>,
): (env?: NodeJS.ProcessEnv) => Promise<RunningServer & TExtras> {
  return async (env = process.env) => {
    const config = definition.loadConfig(env);
    const log = createLogger(definition.name, config.LOG_LEVEL);
    const gatewayKeys = await loadInternalTokenKeys(config);
    const metrics = createServiceMetrics(definition.name);
    const resources = new CloseStack();
    let server: RunningServer | undefined;
    try {
      const parts = await definition.open({ config, log, gatewayKeys, metrics, resources });
      server = await startSubgraphServer<TContext>({
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
        onStop: () => resources.close(),
      });
      await parts.afterListen?.();
      return { ...server, ...(parts.extras as TExtras) };
    } catch (error) {
      // Stopping the server also closes the resources; without one, close them here.
      await (server ? server.stop() : resources.close()).catch((closeError: unknown) =>
        log.error({ err: closeError }, 'closing after a failed start failed too'),
      );
      throw error;
    }
  };
}

/**
 * Runs a service's start function as the process's main: a configuration error is printed as
 * a readable message (exit 1), and SIGTERM or SIGINT stop it gracefully, with a deadline.
 */
export function runMain(service: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  const log = createLogger(service);
  let watchdogSettings: { maxBlockMs: number; holdMs: number };
  try {
    const { EVENT_LOOP_MAX_BLOCK_MS, EVENT_LOOP_BLOCK_HOLD_MS } = loadConfig(baseConfigSchema);
    watchdogSettings = { maxBlockMs: EVENT_LOOP_MAX_BLOCK_MS, holdMs: EVENT_LOOP_BLOCK_HOLD_MS };
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  // Traces go to an OpenTelemetry collector when one is configured; otherwise tracing is a no-op.
  const tracing = startTracing({ service, otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined });
  const fail = (error: unknown) => {
    if (error instanceof Error && error.name === 'ConfigError') console.error(error.message);
    else log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  };
  start().then((running) => {
    // The process's one event loop, watched from the end of start-up (the liveness probe).
    processWatchdog.configure({ ...watchdogSettings, log });
    processWatchdog.start();
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const deadline = setTimeout(() => process.exit(1), 10_000);
      deadline.unref();
      running.stop().then(
        async () => {
          await tracing?.shutdown().catch(() => undefined); // flushes the last spans
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    // Started by the local launcher (npm start) over an IPC channel: if the launcher dies,
    // even by SIGKILL, the channel closes and this service stops instead of lingering.
    if (process.send) process.on('disconnect', () => shutdown('launcher gone'));
  }, fail);
}
