import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import { injectTraceContext } from '@cloudmart/runtime/observability';
import type { GatewayContext } from './context';

/** Node's fetch (undici keeps connections alive) with a deadline on every subgraph call. */
const fetchWithTimeout =
  (timeoutMs: number): Fetcher =>
  (url, init) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit);

/**
 * How the gateway calls a subgraph: the caller's verified bearer token, the request id and the
 * W3C trace context travel with every subgraph fetch, so each subgraph checks identity itself and
 * logs and traces line up. Each fetch is timed into the gateway's metrics.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    timeoutMs: number,
    private readonly metrics: ServiceMetrics,
  ) {
    super({ url, fetcher: fetchWithTimeout(timeoutMs) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    injectTraceContext(headers);
    if (!('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const response = await super.process(options);
      this.metrics.recordSubgraphFetch(this.subgraph, seconds(), !response.errors?.length);
      return response;
    } catch (error) {
      this.metrics.recordSubgraphFetch(this.subgraph, seconds(), false);
      throw error;
    }
  }
}
