import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from './logger';

/**
 * One structured log line per GraphQL operation: its name and type, how long it took, how many
 * errors it returned, and the request id that ties the gateway's line to every subgraph's.
 */
export function requestLoggingPlugin<TContext extends { requestId: string; log: Logger }>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors, contextValue: context }) {
          context.log.info(
            {
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              errors: errors?.length ?? 0,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
