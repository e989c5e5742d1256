import { ApolloGateway } from '@apollo/gateway';
import type { InternalTokenSigner, Logger } from '@cloudmart/runtime';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import type { GraphQLSchema } from 'graphql';
import type { GatewayConfig } from './config';
import type { EntityCache } from './entity-cache';
import { usePlanExecutor } from './plan-executor/install';
import { supergraphForGateway } from './security';
import { SubgraphDataSource } from './subgraph-data-source';
import type { SubgraphFetcher } from './subgraph-fetch';
import { subgraphTimeoutMs, subgraphUrl } from './subgraph-routing';

export interface SupergraphGatewayOptions {
  config: GatewayConfig;
  supergraphSdl: string;
  env: NodeJS.ProcessEnv;
  metrics: ServiceMetrics;
  internalTokens: InternalTokenSigner;
  subgraphFetcher: SubgraphFetcher;
  entityCache?: EntityCache;
  log: Logger;
}

/**
 * @apollo/gateway over the composed supergraph: each subgraph reached at its routed URL, with its
 * own timeout, through the shared fetcher and the entity cache. `currentSchema` is the API schema
 * once the supergraph is loaded (subscriptions resolve against it).
 */
export function createSupergraphGateway(options: SupergraphGatewayOptions) {
  const { config, env, metrics, internalTokens, subgraphFetcher, entityCache, log } = options;
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForGateway(options.supergraphSdl),
    buildService: ({ name, url }) => {
      const routed = subgraphUrl(name, url, env);
      subgraphFetcher.setTimeoutFor(routed, subgraphTimeoutMs(name, config.SUBGRAPH_TIMEOUT_MS, env));
      return new SubgraphDataSource(name, routed, metrics, internalTokens, subgraphFetcher, entityCache);
    },
    logger: log,
  });
  if (config.PLAN_EXECUTOR && !usePlanExecutor(gateway)) {
    log.warn(
      'PLAN_EXECUTOR: @apollo/gateway is not the version src/plan-executor ports; its own executor runs',
    );
  }
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });
  const currentSchema = () => {
    if (!apiSchema) throw new Error('the supergraph is not loaded yet');
    return apiSchema;
  };
  return { gateway, currentSchema };
}
