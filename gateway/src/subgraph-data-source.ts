import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { InternalTokenSigner } from '@cloudmart/runtime';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import { injectTraceContext } from '@cloudmart/runtime/observability';
import type { GatewayContext } from './context';
import type { EntityCache } from './entity-cache';
import { useLeanSendRequest, type SubgraphFetcher } from './subgraph-fetch';
import { isUnavailable, unavailableResponse } from './subgraph-unavailable';

/**
 * How the gateway calls a subgraph: an internal token the gateway signs for the verified caller
 * (never the caller's own access token: subgraphs accept only the gateway's), the request id and
 * the W3C trace context travel with every subgraph fetch, so each subgraph checks identity itself
 * and logs and traces line up. Each fetch is timed into the gateway's metrics.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly metrics: ServiceMetrics,
    private readonly internalTokens: InternalTokenSigner,
    /** The HTTP calls: pools, in-flight deduplication and the deadline (./subgraph-fetch). */
    subgraphFetcher: SubgraphFetcher,
    /** Answers queries from cached entities and root responses where it can (./entity-cache). */
    private readonly entityCache?: EntityCache,
  ) {
    super({ url, fetcher: subgraphFetcher.fetcher });
    if (subgraphFetcher.settings.leanRequests) useLeanSendRequest(this);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    injectTraceContext(headers);
    // The gateway's own fetches (no client request behind them) go as a guest.
    const identity = 'requestId' in context ? context.identity : null;
    if ('requestId' in context) headers.set('x-request-id', context.requestId);
    // Subgraphs serve only requests carrying the gateway's token, so they can trust this header.
    if ('clientAddress' in context && context.clientAddress) headers.set('x-client-address', context.clientAddress);
    headers.set('authorization', await this.internalTokens.authorizationFor(identity ?? null));
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!this.entityCache) return this.timedFetch(options);
    return this.entityCache.process(this.subgraph, options, (fetchOptions) => this.timedFetch(fetchOptions));
  }

  /**
   * The real subgraph fetch (cache hits are not subgraph fetches: they are not timed). A subgraph
   * that does not answer gives an error response at the fields it would have filled
   * (./subgraph-unavailable), so the rest of the client's data still arrives.
   */
  private async timedFetch(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const response = await super.process(options);
      this.metrics.recordSubgraphFetch(this.subgraph, seconds(), !response.errors?.length);
      return response;
    } catch (error) {
      this.metrics.recordSubgraphFetch(this.subgraph, seconds(), false);
      if (!isUnavailable(error)) throw error;
      const log = 'log' in options.context ? options.context.log : undefined;
      log?.warn({ err: error, subgraph: this.subgraph }, 'subgraph unavailable');
      return unavailableResponse(this.subgraph, options, error);
    }
  }
}
