import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode, isConnectionFailure } from '@cloudmart/runtime';
import { SubgraphTimeoutError } from './subgraph-fetch';

/**
 * A subgraph that does not answer — connection refused or reset, no answer within its timeout, an
 * HTTP 5xx — costs only the fields it would have filled. Its failure becomes a GraphQL response
 * from that subgraph with a SUBGRAPH_UNAVAILABLE error at each of those fields: `[field]` for a
 * root fetch, `['_entities', i, field]` for an entity fetch. Query-plan executors (ours and
 * @apollo/gateway's) already place such errors at the client's paths and shape the rest of the
 * data as usual, so the other subgraphs' fields still arrive (a missing non-null field nulls its
 * nearest nullable parent, as GraphQL requires). Before this, the fetch threw, the error had no
 * path and no code, and the client got `Internal server error` for the whole request.
 */

/** Errors reported for one failed fetch, at most: an entity fetch for 100 products × 5 fields stops here. */
export const MAX_ERRORS_PER_FETCH = 100;

/** Whether a data source's failure means the subgraph did not answer (rather than answered wrongly). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof SubgraphTimeoutError) return true;
  if (error instanceof GraphQLError) {
    // RemoteGraphQLDataSource.errorFromResponse: a non-2xx answer, its status in extensions.response.
    const status = (error.extensions.response as { status?: unknown } | undefined)?.status;
    return typeof status === 'number' && status >= 500;
  }
  // fetch and undici reject with TypeError('fetch failed') or a socket error for refused, reset
  // and closed connections; anything else a data source throws is a bug to surface, not an outage.
  return isConnectionFailure(error);
}

const reasonOf = (error: unknown): string => {
  if (error instanceof SubgraphTimeoutError) return 'no answer within its timeout';
  if (error instanceof GraphQLError) {
    const status = (error.extensions.response as { status?: number } | undefined)?.status;
    return `HTTP ${status}`;
  }
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code ? `connection failed: ${code}` : 'connection failed';
};

/** Response keys selected directly by a selection set, through inline fragments matching `typename`. */
function responseKeys(set: SelectionSetNode, typename?: string): string[] {
  const keys: string[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key !== '__typename' && !keys.includes(key)) keys.push(key);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (!typename || !condition || condition === typename) {
        for (const key of responseKeys(selection.selectionSet, typename)) if (!keys.includes(key)) keys.push(key);
      }
    }
    // The planner writes subgraph fetches without named fragments.
  }
  return keys;
}

/** The response a subgraph that did not answer stands for. */
export function unavailableResponse<TContext extends object>(
  subgraph: string,
  options: GraphQLDataSourceProcessOptions<TContext>,
  error: unknown,
): GatewayGraphQLResponse {
  const planned = 'document' in options ? options.document : undefined;
  const document: DocumentNode | undefined =
    planned ?? (options.request.query ? parse(options.request.query, { noLocation: true }) : undefined);
  const operation = document?.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const mutation = operation?.operation === OperationTypeNode.MUTATION;
  const message = mutation
    ? `The ${subgraph} service did not answer (${reasonOf(error)}): whether this change was made is unknown; retry it with the same idempotency key.`
    : `The ${subgraph} service did not answer (${reasonOf(error)}); this field is missing.`;
  const errorAt = (path: (string | number)[]): GraphQLFormattedError => ({
    message,
    path,
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: subgraph },
  });
  if (!operation) return { errors: [errorAt([])] };

  const root = operation.selectionSet.selections;
  const entities = root.length === 1 && root[0]!.kind === Kind.FIELD && root[0]!.name.value === '_entities' ? root[0]! : undefined;
  const errors: GraphQLFormattedError[] = [];
  if (entities?.kind === Kind.FIELD && entities.selectionSet) {
    const representations = options.request.variables?.representations;
    const list = Array.isArray(representations) ? (representations as { __typename?: unknown }[]) : [];
    const keysByType = new Map<string, string[]>();
    for (let index = 0; index < list.length && errors.length < MAX_ERRORS_PER_FETCH; index++) {
      const typename = typeof list[index]?.__typename === 'string' ? (list[index]!.__typename as string) : '';
      let keys = keysByType.get(typename);
      if (!keys) keysByType.set(typename, (keys = responseKeys(entities.selectionSet, typename || undefined)));
      for (const key of keys) {
        if (errors.length >= MAX_ERRORS_PER_FETCH) break;
        errors.push(errorAt(['_entities', index, key]));
      }
    }
    return { data: { _entities: list.map(() => null) }, errors: errors.length ? errors : [errorAt(['_entities'])] };
  }
  for (const key of responseKeys(operation.selectionSet).slice(0, MAX_ERRORS_PER_FETCH)) errors.push(errorAt([key]));
  return { data: null, errors: errors.length ? errors : [errorAt([])] };
}
