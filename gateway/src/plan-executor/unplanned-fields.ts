// Root fields the query planner silently leaves out of its plan. @apollo/query-planner 2.14.4
// drops a selection it cannot satisfy when the field's type has no possible runtime type in the
// supergraph: an interface implemented by no object (say one subgraph's `interface Node @key`,
// known elsewhere only as a non-resolvable @interfaceObject) whose fields live in a subgraph that
// cannot be reached. Composition accepts such a supergraph, and the plan then simply has no fetch
// for the field, so stock @apollo/gateway answers `null` without an error, as if the subgraph had
// returned null (federation-gateway-audit non-resolvable-interface-object #1). The operation
// cannot be answered, so we say so, as Apollo Router and Hive Gateway do for an operation they
// cannot plan: an error and no data (docs/federation-compliance.md).
//
// Only root fields are checked: a root field is fetched by a fetch at the root of the plan, so
// "selected but in no root fetch" is exact, and cheap (once per plan). Fields skipped by a literal
// @skip/@include are already gone from the normalized operation; fields under a variable
// condition are in one branch of a Condition node, and every branch is looked at.
import type { Operation, SelectionSet } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, SubscriptionNode } from '@apollo/query-planner';
import { GraphQLError, Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The code of the error for an operation the plan cannot answer: it is valid, yet unsatisfiable. */
export const UNPLANNABLE_OPERATION_CODE = 'GRAPHQL_VALIDATION_FAILED';

function rootFetches(node: PlanNode | SubscriptionNode | undefined, into: FetchNode[]): FetchNode[] {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch':
      // A fetch with `requires` takes entity representations: not a root fetch.
      if (!node.requires) into.push(node);
      break;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) rootFetches(child, into);
      break;
    case 'Condition':
      rootFetches(node.ifClause, into);
      rootFetches(node.elseClause, into);
      break;
    case 'Defer':
      rootFetches(node.primary.node, into);
      for (const deferred of node.deferred) rootFetches(deferred.node, into);
      break;
    case 'Subscription':
      into.push(node.primary);
      rootFetches(node.rest, into);
      break;
    case 'Flatten':
      // Entity fetches below a path.
      break;
  }
  return into;
}

function addResponseNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.alias?.value ?? selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      addResponseNames(selection.selectionSet, fragments, into);
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) addResponseNames(fragment.selectionSet, fragments, into);
    }
  }
}

/** The response names at the root of the subgraph operations of every root fetch of `plan`. */
function fetchedRootResponseNames(plan: QueryPlan): Set<string> {
  const names = new Set<string>();
  for (const fetch of rootFetches(plan.node, [])) {
    const document = fetch.operationDocumentNode ?? parse(fetch.operation);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    for (const definition of document.definitions)
      if (definition.kind === Kind.OPERATION_DEFINITION)
        addResponseNames(definition.selectionSet, fragments, names);
  }
  return names;
}

function selectedRootFields(selectionSet: SelectionSet, into: Map<string, string>): Map<string, string> {
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      // __typename, __schema and __type are answered by the gateway itself.
      if (!field.name.startsWith('__')) into.set(field.responseName(), field.name);
    } else {
      selectedRootFields(selection.selectionSet, into);
    }
  }
  return into;
}

// The message per plan, null when nothing is missing; each request gets its own error.
const checked = new WeakMap<QueryPlan, string | null>();

/**
 * The error to answer `operation` with if `plan` leaves one of its root fields out of every fetch
 * (see the header), or undefined when every selected root field is fetched. Checked once per plan
 * (@apollo/gateway caches plans per operation).
 */
export function unplannedRootFieldError(plan: QueryPlan, operation: Operation): GraphQLError | undefined {
  let message = checked.get(plan);
  if (message === undefined) {
    const fetched = fetchedRootResponseNames(plan);
    const rootType = operation.selectionSet.parentType.name;
    const missing = [...selectedRootFields(operation.selectionSet, new Map())]
      .filter(([responseName]) => !fetched.has(responseName))
      .map(([, fieldName]) => `${rootType}.${fieldName}`);
    message =
      missing.length === 0
        ? null
        : `The supergraph cannot resolve ${missing.join(', ')} as selected: no subgraph can provide the selection.`;
    checked.set(plan, message);
  }
  return message === null
    ? undefined
    : new GraphQLError(message, { extensions: { code: UNPLANNABLE_OPERATION_CODE } });
}
