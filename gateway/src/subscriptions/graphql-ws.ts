// Subscriptions over graphql-ws (the `graphql-transport-ws` WebSocket protocol) on the gateway's
// /graphql path. The access token comes in `connection_init`'s payload as `authorization`
// ("Bearer …", as the HTTP header would be) or `token`; a connection without a valid one is
// closed with 4403. Only subscriptions are served here: queries and mutations go over HTTP.
import type { Server } from 'node:http';
import { getOperationAST, GraphQLError, parse, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { identityFromAuthorization, type JwtKeys, type Logger } from '@cloudmart/runtime';
import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../security/persisted-queries';
import type { SubscriptionDocumentChecks } from '../security/subscription-checks';
import { headersOf, type RecordOperation } from '../usage';
import type { SubscriberContext, SubscriptionEngine } from './engine';

/** Close code for a subscriber ended for being too slow: "try again later" (RFC 6455). */
export const CLOSE_TOO_SLOW = 1013;

// A type, not an interface: graphql-ws wants a record type for its `extra`.
type Extra = { subscriber?: SubscriberContext };

interface OperationContext {
  stream: AsyncIterableIterator<ExecutionResult>;
}

function authorizationFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization ?? (params?.token ? `Bearer ${String(params.token)}` : undefined);
  return typeof value === 'string' ? value : undefined;
}

/** Parse and validation errors with the codes Apollo Server gives them over HTTP. */
function withCode(error: unknown, code: string): GraphQLError {
  const original = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  return new GraphQLError(original.message, { extensions: { ...original.extensions, code } });
}

export interface GraphqlWsOptions {
  httpServer: Server;
  path: string;
  engine: SubscriptionEngine;
  schema: () => GraphQLSchema;
  keys: JwtKeys;
  log: Logger;
  maxPayloadBytes: number;
  /** The gateway's document limits and safelist, which HTTP requests get from its middleware. */
  checks: SubscriptionDocumentChecks;
  /** Field usage: each validated subscription, under the client its connection names. */
  recordUsage: RecordOperation;
}

export function serveGraphqlWs(options: GraphqlWsOptions) {
  const { httpServer, path, engine, schema, keys, log, maxPayloadBytes, checks, recordUsage } = options;
  const wsServer = new WebSocketServer({ server: httpServer, path, maxPayload: maxPayloadBytes });
  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const authorization = authorizationFrom(ctx.connectionParams);
        const identity = await identityFromAuthorization(keys, authorization).catch(() => null);
        if (!identity) return false; // graphql-ws closes with 4403 Forbidden
        const requestId = randomUUID();
        ctx.extra.subscriber = { identity, authorization, requestId, log: log.child({ requestId, transport: 'graphql-ws' }) };
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const refused = checks.payload(payload) ?? checks.beforeParse(payload.query);
        if (refused) return [refused];
        let document;
        try {
          document = parse(payload.query, { noLocation: true });
        } catch (error) {
          return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
        }
        const parsedOperation = getOperationAST(document, payload.operationName);
        const overLimit = parsedOperation && checks.afterParse(document, parsedOperation);
        if (overLimit) return [overLimit];
        const currentSchema = schema();
        const validationErrors = validate(currentSchema, document);
        if (validationErrors.length > 0) return validationErrors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = parsedOperation;
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        // A browser cannot set headers on a WebSocket: the client's name may come in connection_init.
        const headers = headersOf(ctx.extra.request.headers, ctx.connectionParams);
        recordUsage({ headers, queryHash: sha256Hex(payload.query), query: payload.query, document, operation, schema: currentSchema });
        const result = await engine.subscribe({
          document,
          operationName: payload.operationName ?? undefined,
          variables: payload.variables ?? {},
          context: ctx.extra.subscriber!,
          onOverflow: () => ctx.extra.socket.close(CLOSE_TOO_SLOW, 'Subscriber too slow'),
        });
        // A refusal becomes graphql-ws's `error` message.
        if (!(Symbol.asyncIterator in result)) return (result.errors ?? []) as GraphQLError[];
        const contextValue: OperationContext = { stream: result };
        return { schema: currentSchema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      subscribe: (args) => (args.contextValue as OperationContext).stream,
    },
    wsServer,
  );
  return {
    async close() {
      for (const client of wsServer.clients) client.close(1001, 'Gateway shutting down');
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
