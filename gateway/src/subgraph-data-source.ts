import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context';

/** Node's fetch (undici keeps connections alive) with a deadline on every subgraph call. */
const fetchWithTimeout =
  (timeoutMs: number): Fetcher =>
  (url, init) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit);

/**
 * How the gateway calls a subgraph: the caller's verified bearer token and the request id
 * travel with every subgraph fetch, so each subgraph checks identity itself and logs line up.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, timeoutMs: number) {
    super({ url, fetcher: fetchWithTimeout(timeoutMs) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
  }
}
