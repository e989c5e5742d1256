import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import {
  addProbes,
  createLogger,
  identityFromAuthorization,
  jsonErrorHandler,
  loadJwtKeys,
  listen,
  maskUnexpectedErrors,
  readSupergraphConfig,
  requestIdOf,
  requestLoggingPlugin,
  subgraphUrlVariable,
  type JwtKeys,
  type Logger,
  type RunningServer,
} from '@cloudmart/runtime';
import { loadGatewayConfig, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { SubgraphDataSource } from './subgraph-data-source';

/**
 * Where each subgraph is reached: the routing URL composed into the supergraph, unless
 * SUBGRAPH_<NAME>_URL overrides it (as Kubernetes does with in-cluster service names).
 */
function subgraphUrl(name: string, composedUrl: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = env[subgraphUrlVariable(name)] ?? composedUrl;
  if (!url) throw new Error(`No URL for subgraph ${name}: set ${subgraphUrlVariable(name)}`);
  return url;
}

export interface GatewayOptions {
  config: GatewayConfig;
  keys: JwtKeys;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

/** The gateway: @apollo/gateway over the composed supergraph file, in Apollo Server on express. */
export async function startGateway({ config, keys, log, env = process.env }: GatewayOptions): Promise<RunningServer> {
  const production = config.NODE_ENV === 'production';
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => new SubgraphDataSource(subgraphUrl(name, url, env), config.SUBGRAPH_TIMEOUT_MS),
    logger: log,
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // Signals are handled by runMain, which stops the HTTP server and the stores in order.
    stopOnTerminationSignals: false,
    formatError: maskUnexpectedErrors(log),
    // Apollo's CSRF prevention: a browser can only send a request that needs a CORS preflight.
    csrfPrevention: true,
    logger: log,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      requestLoggingPlugin(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  const subgraphs = readSupergraphConfig().subgraphs;
  addProbes(
    app,
    async () => {
      // Ready when every subgraph answers its own readiness probe.
      await Promise.all(
        subgraphs.map(async ({ name, routingUrl }) => {
          const url = new URL('/ready', subgraphUrl(name, routingUrl, env));
          const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          if (!response.ok) throw new Error(`subgraph ${name} is not ready (${response.status})`);
        }),
      );
    },
    log,
  );
  app.use(
    '/graphql',
    cors<cors.CorsRequest>({ origin: config.CORS_ORIGINS, credentials: true, maxAge: 600 }),
    express.json({ limit: config.MAX_BODY_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIdOf(req);
        const authorization = req.headers.authorization;
        const identity = await identityFromAuthorization(keys, authorization);
        return { requestId, identity, authorization, log: log.child({ requestId }) };
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
    async stop() {
      await apollo.stop();
      log.info('gateway stopped');
    },
  };
}

/** Starts the gateway from environment variables (see config.ts): what `src/index.ts` runs. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadGatewayConfig(env);
  const log = createLogger('gateway', config.LOG_LEVEL);
  const keys = await loadJwtKeys(config);
  return startGateway({ config, keys, log, env });
}
