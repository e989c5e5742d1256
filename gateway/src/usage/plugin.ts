import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { print, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';
import { Lru } from '../lru';
import type { ClientResolver } from './clients';
import { fieldsOf } from './document-fields';
import type { DocumentShape, FieldUsageRecorder } from './recorder';

/**
 * Records every client operation's fields once it has been validated against the API schema
 * (`didResolveOperation`: invalid documents use no field). Listed before the security plugins, it
 * sees the document the client sent, before authorization removes what the caller may not see:
 * what a client asks for is what a schema change would break. Operations the gateway runs itself
 * (subscription events through `executeOperation`) have no HTTP request and are not client usage.
 */
export function fieldUsagePlugin(
  recorder: FieldUsageRecorder,
  clients: ClientResolver,
  /** Distinct documents whose shape is remembered (OPERATION_CACHE_SIZE). */
  cacheSize: number,
): ApolloServerPlugin<GatewayContext> {
  let cachedSchema: GraphQLSchema | undefined;
  let shapes = new Lru<string, DocumentShape>(cacheSize);
  // One listener for every request: nothing per request is kept in it.
  const listener: GraphQLRequestListener<GatewayContext> = {
    async didResolveOperation({ request, queryHash, document, operation, schema }) {
      if (!request.http || !operation) return;
      if (schema !== cachedSchema) {
        cachedSchema = schema;
        shapes = new Lru(cacheSize); // coordinates are read against one schema
      }
      const client = clients.resolve(request.http.headers, queryHash);
      const name = operation.name?.value ?? 'anonymous';
      // Manifest operations are named by their id (the SHA-256 of their text, which queryHash is).
      const key = client.fromManifest ? queryHash : `${name}@${queryHash.slice(0, 16)}`;
      recorder.record(client.name, key, () =>
        shapes.memo(`${queryHash}\n${name}`, () => ({
          document: request.query ?? print(document),
          fields: fieldsOf(schema, document, operation),
        })),
      );
    },
  };
  return {
    async requestDidStart({ request }) {
      return request.http ? listener : undefined;
    },
  };
}
