import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import { Lru } from '../lru';
import type { ClientResolver } from './clients';
import { fieldsOf } from './document-fields';
import type { DocumentShape, FieldUsageRecorder } from './recorder';

/** One client operation that validated against the API schema, as a transport received it. */
export interface ValidatedOperation {
  /** The request's headers (the client's name and API key are read from them). */
  headers: { get(name: string): string | undefined };
  /** The SHA-256 of the document's text, hex (what a manifest names its operations by). */
  queryHash: string;
  /** The text the client sent, when it sent one (else the document is printed). */
  query?: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  schema: GraphQLSchema;
}

/**
 * A Node request's headers as a ValidatedOperation reads them; string values of `params` (a
 * graphql-ws connection's `connection_init` payload, where a browser client puts what it cannot
 * send as a header) are read first.
 */
export function headersOf(headers: IncomingHttpHeaders, params?: Readonly<Record<string, unknown>>) {
  return {
    get(name: string): string | undefined {
      const param = params?.[name];
      if (typeof param === 'string') return param;
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
  };
}

/** Records a validated operation under its client; what every transport calls. */
export type RecordOperation = (request: ValidatedOperation) => void;

/**
 * Records operations into `recorder`: the client resolved from the headers, the document's fields
 * computed once per distinct document and schema (an LRU of `cacheSize`, OPERATION_CACHE_SIZE),
 * so a repeated operation costs a lookup.
 */
export function operationRecorder(
  recorder: FieldUsageRecorder,
  clients: ClientResolver,
  cacheSize: number,
): RecordOperation {
  let cachedSchema: GraphQLSchema | undefined;
  let shapes = new Lru<string, DocumentShape>(cacheSize);
  return ({ headers, queryHash, query, document, operation, schema }) => {
    if (schema !== cachedSchema) {
      cachedSchema = schema;
      shapes = new Lru(cacheSize); // coordinates are read against one schema
    }
    const client = clients.resolve(headers, queryHash);
    const name = operation.name?.value ?? 'anonymous';
    // Manifest operations are named by their id (the SHA-256 of their text, which queryHash is).
    const key = client.fromManifest ? queryHash : `${name}@${queryHash.slice(0, 16)}`;
    recorder.record(client.name, key, () =>
      shapes.memo(`${queryHash}\n${name}`, () => ({
        document: query ?? print(document),
        fields: fieldsOf(schema, document, operation),
      })),
    );
  };
}

/**
 * Records every HTTP client operation once it has been validated against the API schema
 * (`didResolveOperation`: invalid documents use no field). Listed before the security plugins, it
 * sees the document the client sent, before authorization removes what the caller may not see:
 * what a client asks for is what a schema change would break. Operations the gateway runs itself
 * (subscription events through `executeOperation`) have no HTTP request and are not client usage;
 * the subscriptions themselves are recorded by their transports (graphql-ws, multipart).
 */
export function fieldUsagePlugin(record: RecordOperation): ApolloServerPlugin<GatewayContext> {
  // One listener for every request: nothing per request is kept in it.
  const listener: GraphQLRequestListener<GatewayContext> = {
    async didResolveOperation({ request, queryHash, document, operation, schema }) {
      if (!request.http || !operation) return;
      record({ headers: request.http.headers, queryHash, query: request.query, document, operation, schema });
    },
  };
  return {
    async requestDidStart({ request }) {
      return request.http ? listener : undefined;
    },
  };
}
