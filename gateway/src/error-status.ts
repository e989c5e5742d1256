import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@cloudmart/runtime';

/** The HTTP status of a response that carries one of these codes. */
const statusOfCode: ReadonlyMap<unknown, number> = new Map([
  [ErrorCode.SERVICE_OVERLOADED, 503],
  [ErrorCode.TOO_MANY_ATTEMPTS, 429],
  [ErrorCode.RATE_LIMITED, 429],
]);

/**
 * "Not now, retry later" errors reach the gateway from a subgraph inside a GraphQL response, so the
 * client would get HTTP 200. This gives the client's response the status they stand for (503, 429)
 * and a Retry-After header from the error's `extensions.retryAfter` (seconds), so that HTTP
 * clients, proxies and load balancers back off as they do for any 503 or 429.
 */
export function errorStatusPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const { errors } = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const error = errors?.find((candidate) => statusOfCode.has(candidate.extensions?.code));
          if (!error) return;
          response.http.status = statusOfCode.get(error.extensions?.code);
          const retryAfter = error.extensions?.retryAfter;
          if (typeof retryAfter === 'number' && retryAfter > 0 && Number.isFinite(retryAfter)) {
            response.http.headers.set('retry-after', String(Math.ceil(retryAfter)));
          }
        },
      };
    },
  };
}
