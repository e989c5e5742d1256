import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, print, type FragmentDefinitionNode, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';
import { nullRemovedFields, type AuthorizationPolicy, type RemovedField } from './authorization';
import type { CostEstimator } from './demand-control';
import { sha256Hex } from './persisted-queries';

/**
 * The checks that need the validated operation and the schema, run in Apollo Server's
 * `didResolveOperation` (after validation, before the query planner and any subgraph fetch):
 * authorization directives remove what the caller may not see, then demand control refuses an
 * operation whose estimated cost is over the ceiling. Internal `executeOperation` calls
 * (subscription events) pass through the same checks as their subscriber.
 */
export function operationChecksPlugin(
  policy: AuthorizationPolicy,
  costs: CostEstimator,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let unauthorized: GraphQLFormattedError[] = [];
      let removed: RemovedField[] = [];
      let nothingLeft = false;
      return {
        async didResolveOperation(requestContext) {
          const { schema, document, operation } = requestContext;
          if (!operation) {
            // Several operations and no (or an unknown) operationName: the gateway would fail with a 500.
            throw new GraphQLError(
              requestContext.request.operationName
                ? `Unknown operation named "${requestContext.request.operationName}".`
                : 'Must provide operation name if query contains multiple operations.',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          const identity = requestContext.contextValue.identity ?? null;
          const authorized = policy.authorize(schema, document, operation, identity);
          unauthorized = authorized.errors;
          removed = authorized.removed;
          nothingLeft = authorized.empty;
          if (authorized.document !== document) {
            // The gateway plans from requestContext.document and caches plans by queryHash: give the
            // reduced document its own hash so a guest's plan never serves a signed-in caller.
            const reduced = authorized.document.definitions[0];
            Object.assign(requestContext, {
              document: authorized.document,
              queryHash: sha256Hex(print(authorized.document)),
              operation: reduced?.kind === Kind.OPERATION_DEFINITION ? reduced : operation,
            });
          }
          if (nothingLeft) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of requestContext.document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const cost = costs.estimate(
            schema,
            requestContext.operation ?? operation,
            fragments,
            requestContext.request.variables ?? {},
          );
          const tooExpensive = costs.check(cost);
          if (tooExpensive) {
            unauthorized = []; // the refusal is the whole answer
            throw tooExpensive;
          }
        },
        async responseForOperation() {
          if (!nothingLeft) return null;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: nullRemovedFields({}, removed) } },
          };
        },
        async willSendResponse({ response }) {
          if (unauthorized.length === 0) return;
          if (response.body.kind === 'single') {
            response.body.singleResult = {
              ...response.body.singleResult,
              data: nullRemovedFields(response.body.singleResult.data, removed),
              errors: [...(response.body.singleResult.errors ?? []), ...unauthorized],
            };
          } else {
            response.body.initialResult = {
              ...response.body.initialResult,
              errors: [...(response.body.initialResult.errors ?? []), ...unauthorized],
            };
          }
        },
      };
    },
  };
}
