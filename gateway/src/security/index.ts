import path from 'node:path';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { createRateLimiter, repoRoot, type Logger } from '@cloudmart/runtime';
import type { GatewayConfig } from '../config';
import type { GatewayContext } from '../context';
import type { ClientSources } from '../usage/clients';
import { RedisKeyValueCache } from './apq-cache';
import { AuthorizationPolicy } from './authorization';
import { CostEstimator } from './demand-control';
import { readSupergraphDirectives } from './directives';
import { WORK_LIMIT_CODE } from './document-walk';
import { operationChecksPlugin } from './operation-plugin';
import { PartnerContract, PartnerContractGuard } from './partner-contract';
import { PartnerDirectory } from './partners';
import { ManifestFile, ManifestSet } from './persisted-queries';
import { requestChecks } from './requests';
import { subscriptionDocumentChecks, type SubscriptionDocumentChecks } from './subscription-checks';

/** The web client's manifest, written by its build (see web/). */
export const webManifestFile = path.join(repoRoot, 'web', 'persisted-query-manifest.json');

export { supergraphForGateway } from './supergraph-for-gateway';

/** Codes raised here on purpose: their messages are written for clients and pass formatError. */
const securityCodes = new Set([
  'MAX_DEPTH_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_ROOT_FIELDS_LIMIT',
  'MAX_RECURSIVE_SELECTIONS_LIMIT',
  'MAX_DOCUMENT_SIZE_LIMIT',
  WORK_LIMIT_CODE,
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'UNAUTHORIZED_FIELD_OR_TYPE',
]);

export interface GatewaySecurity {
  /** Express middleware for /graphql, after body parsing and before Apollo Server. */
  requestChecks: RequestHandler;
  /** The same limits and safelisting for subscription documents that arrive over graphql-ws. */
  subscriptionChecks: SubscriptionDocumentChecks;
  /** Who sent a request, for field usage (../usage): partners by key, the web client's manifest. */
  clientSources: ClientSources;
  /** Apollo Server plugins (authorization directives, demand control). */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** Apollo Server's APQ settings: Redis when REDIS_URL is set, else its in-memory LRU. */
  persistedQueries: ApolloServerOptions<GatewayContext>['persistedQueries'];
  /** Wraps formatError so the security codes reach clients unmasked. */
  formatError(
    inner: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  ): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  close(): Promise<void>;
}

/**
 * Every security concern of the gateway, assembled in one place (docs/security.md):
 * persisted queries and partners, rate limits, operation limits, demand control, authorization.
 */
export function createGatewaySecurity(
  config: GatewayConfig,
  supergraphSdl: string,
  log: Logger,
): GatewaySecurity {
  const directives = readSupergraphDirectives(supergraphSdl);
  const policy = new AuthorizationPolicy(directives);
  const costs = new CostEstimator(directives, {
    maxCost: config.MAX_OPERATION_COST,
    defaultListSize: config.DEFAULT_LIST_SIZE,
  });
  const webManifest = new ManifestFile(path.resolve(webManifestFile), log);
  const firstParty = new ManifestSet([
    webManifest,
    ...config.PERSISTED_QUERY_MANIFESTS.map((file) => new ManifestFile(path.resolve(file), log)),
  ]);
  const partners = new PartnerDirectory(config, log);
  const partnerContract = PartnerContract.fromSupergraph(supergraphSdl);
  for (const problem of partnerContract.problems) log.warn({ problem }, 'partner contract');
  const apqCache = config.REDIS_URL ? new RedisKeyValueCache(config.REDIS_URL, log) : undefined;
  // Partner rate limits: one bucket per partner for every replica when Redis is there.
  const { PARTNER_RATE_LIMIT_BURST: burst, PARTNER_RATE_LIMIT_PER_SECOND: perSecond } = config;
  const rateLimits = createRateLimiter({ redisUrl: config.REDIS_URL, burst, perSecond, log, name: 'partner' });
  const limits = {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxRootFields: config.MAX_ROOT_FIELDS,
    maxRecursiveSelections: config.MAX_RECURSIVE_SELECTIONS,
  };
  const sourceLimits = { maxDocumentBytes: config.MAX_DOCUMENT_BYTES, maxNesting: config.MAX_DOCUMENT_NESTING };
  const maxWork = config.MAX_OPERATION_WORK;
  return {
    subscriptionChecks: subscriptionDocumentChecks({
      limits,
      sourceLimits,
      maxWork,
      maxJsonNesting: config.MAX_JSON_NESTING,
      firstParty,
      safelist: config.PERSISTED_QUERIES_SAFELIST,
    }),
    clientSources: {
      partnerName: (apiKey) => partners.find(apiKey)?.name,
      isWebOperation: (id) => webManifest.get(id) !== undefined,
    },
    requestChecks: requestChecks({
      partners,
      partnerContract: new PartnerContractGuard(partnerContract, config.OPERATION_CACHE_SIZE),
      rateLimits,
      firstParty,
      safelist: config.PERSISTED_QUERIES_SAFELIST,
      limits,
      sourceLimits,
      maxWork,
      maxJsonNesting: config.MAX_JSON_NESTING,
      log,
      cacheSize: config.OPERATION_CACHE_SIZE,
    }),
    plugins: [operationChecksPlugin(policy, costs, { cacheSize: config.OPERATION_CACHE_SIZE, maxWork })],
    persistedQueries: apqCache ? { cache: apqCache } : {},
    formatError: (inner) => (formatted, error) => {
      const code = formatted.extensions?.code;
      if (typeof code === 'string' && securityCodes.has(code)) {
        const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      return inner(formatted, error);
    },
    async close() {
      firstParty.close();
      partners.close();
      await apqCache?.close();
      await rateLimits.close?.();
    },
  };
}
