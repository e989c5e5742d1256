import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  print,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../context';
import { Lru } from '../lru';
import {
  nullRemovedFields,
  type AuthorizationPolicy,
  type AuthorizedOperation,
  type RemovedField,
} from './authorization';
import type { CostEstimator } from './demand-control';
import { sha256Hex } from './persisted-queries';
import { fragmentsOf, Work } from './document-walk';

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
  options: {
    /**
     * Operations whose authorization and cost are remembered (docs/performance.md): per query hash,
     * operation, the caller's role (what authorization depends on) and, for cost, the variables.
     * 0: computed on every request.
     */
    cacheSize?: number;
    /** Steps each walk (authorization, cost) may take over one document (MAX_OPERATION_WORK). */
    maxWork?: number;
  } = {},
): ApolloServerPlugin<GatewayContext> {
  const { cacheSize = 0, maxWork = Number.POSITIVE_INFINITY } = options;
  let cachedSchema: GraphQLSchema | undefined;
  let authorizations = new Lru<string, AuthorizedEntry>(cacheSize);
  let estimates = new Lru<string, number>(cacheSize);
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
          if (schema !== cachedSchema) {
            // A new supergraph: nothing remembered for the old one applies.
            cachedSchema = schema;
            authorizations = new Lru(cacheSize);
            estimates = new Lru(cacheSize);
          }
          const identity = requestContext.contextValue.identity ?? null;
          // Authorization depends on whether there is a caller and on their role (scopesOf).
          const key = `${requestContext.queryHash}\n${operation.name?.value ?? ''}\n${identity ? identity.role : ''}`;
          const entry = authorizations.memo(key, () => {
            const authorized = policy.authorize(schema, document, operation, identity, new Work(maxWork));
            if (authorized.document === document) return { authorized, fragments: fragmentsOf(document) };
            // The gateway plans from requestContext.document and caches plans by queryHash: give the
            // reduced document its own hash so a guest's plan never serves a signed-in caller.
            const reduced = authorized.document.definitions[0];
            return {
              authorized,
              fragments: fragmentsOf(authorized.document),
              reduced: {
                queryHash: sha256Hex(print(authorized.document)),
                operation: reduced?.kind === Kind.OPERATION_DEFINITION ? reduced : operation,
              },
            };
          });
          const { authorized } = entry;
          unauthorized = authorized.errors;
          removed = authorized.removed;
          nothingLeft = authorized.empty;
          if (entry.reduced) {
            Object.assign(requestContext, { document: authorized.document, ...entry.reduced });
          }
          if (nothingLeft) return;
          const planned = requestContext.operation ?? operation;
          const variables = requestContext.request.variables ?? {};
          // Only the numbers given for declared variables can change the estimate (slicing
          // arguments): the key holds those and nothing else a client sends.
          const costKey = planned.variableDefinitions?.length
            ? `${key}\n${planned.variableDefinitions
                .map(({ variable }) => {
                  const value = variables[variable.name.value];
                  return typeof value === 'number' ? value : '';
                })
                .join(',')}`
            : key;
          const cost = estimates.memo(costKey, () =>
            costs.estimate(schema, planned, entry.fragments, variables, new Work(maxWork)),
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

/** What is remembered of one operation for one kind of caller. */
interface AuthorizedEntry {
  authorized: AuthorizedOperation;
  fragments: Record<string, FragmentDefinitionNode>;
  /** When authorization removed fields: the reduced operation and its own query hash. */
  reduced?: { queryHash: string; operation: OperationDefinitionNode };
}

