// From a client's subscription operation to what the engine needs: which subscription it is, its
// arguments, and the query that fetches, through the supergraph, the fields the subscriber
// selected of what an event names (an order, a sales window) — run once per event with the
// subscriber's own token. Each subscription field is described once below (its feed, the query
// field that reads what an event names, who may subscribe); the engine has no other list.
import {
  GraphQLError,
  Kind,
  getOperationAST,
  isObjectType,
  separateOperations,
  valueFromAST,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import { ErrorCode } from '@cloudmart/runtime';
import { fragmentsOf } from '../security/document-walk';
import type { FeedName } from './feeds';

/** How the per-event query reads what an event names: `<field>(<argument>: $key)`. */
export interface EntityFetch {
  field: string;
  argument: string;
  /** The argument's GraphQL type (non-null in the query). */
  argumentType: string;
  /** What it is, for messages. */
  what: string;
}

export interface SubscriptionSpec {
  feed: FeedName;
  fetch: EntityFetch;
  /** Only admins may subscribe: FORBIDDEN at subscribe time (each event's fetch is checked again). */
  adminOnly: boolean;
  /**
   * The argument naming the one thing followed (orderUpdated's orderId): its current state is sent
   * first, and only its events match.
   */
  subjectArgument?: string;
  /** The entity sits under a field of a wrapper type (OrderEvent.order), the wrapper's other fields come from the event. */
  wrapper?: { type: string; entityField: string };
}

const orderFetch: EntityFetch = { field: 'order', argument: 'id', argumentType: 'ID', what: 'order' };

export const subscriptionSpecs = {
  orderUpdated: { feed: 'orders', fetch: orderFetch, adminOnly: false, subjectArgument: 'orderId' },
  myOrderUpdates: { feed: 'orders', fetch: orderFetch, adminOnly: false },
  orderEvents: { feed: 'orders', fetch: orderFetch, adminOnly: true, wrapper: { type: 'OrderEvent', entityField: 'order' } },
  liveSales: {
    feed: 'salesWindows',
    fetch: { field: 'salesWindow', argument: 'start', argumentType: 'DateTime', what: 'sales window' },
    adminOnly: true,
  },
} as const satisfies Record<string, SubscriptionSpec>;
export type SubscriptionField = keyof typeof subscriptionSpecs;
export const subscriptionFields = Object.keys(subscriptionSpecs) as SubscriptionField[];

/** The variable the per-event query takes the event's key in (an order id, a window start); clients cannot collide with it. */
export const EVENT_KEY_VARIABLE = '__cloudmartEventKey';
/** The response keys of the entities in the per-event query's result: one per selection of it. */
export const entityFetchKey = (index: number) => `__cloudmartEntity${index}`;

/** A field of the wrapper type as the subscriber selected it (orderEvents: OrderEvent's fields). */
export interface EventField {
  responseKey: string;
  name: string;
  /** For the entity field: its key in the per-event query's result. */
  fetchKey?: string;
}

export interface PreparedSubscription {
  field: SubscriptionField;
  spec: SubscriptionSpec;
  /** The subscription's response key (its alias, or the field name). */
  responseKey: string;
  /** The value of the spec's subjectArgument (orderUpdated's orderId). */
  subjectId?: string;
  /** The client's document reduced to the one operation, for assembling each event's result. */
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** With a wrapper: its fields in the order the subscriber selected them. */
  eventFields: EventField[];
  /** `query($__cloudmartEventKey: ID!) { __cloudmartEntity0: order(id: …) { <selection> } … }` */
  entityQuery: DocumentNode;
  /** The client's variables the entity query uses. */
  entityQueryVariables: Record<string, unknown>;
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });

/**
 * Reads a validated subscription operation. Returns GraphQL errors for what the gateway cannot
 * serve (more than one root field — which the GraphQL spec forbids anyway — or an unknown field).
 */
export function prepareSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): PreparedSubscription | GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [badRequest('No operation with that name in the document (operationName).')];
  if (operation.operation !== 'subscription') return [badRequest('Not a subscription operation.')];
  const fragments = fragmentsOf(document);
  const subscriptionType = schema.getSubscriptionType();
  if (!subscriptionType) return [badRequest('This supergraph has no subscriptions.')];
  // graphql-js's own field collection, as execution and validation do it: merged by response key,
  // each fragment visited once per selection set, @skip/@include applied (linear in the document).
  const roots = [...collectFields(schema, fragments, variables, subscriptionType, operation.selectionSet).values()];
  if (roots.length !== 1) return [badRequest('A subscription selects exactly one root field.')];
  const rootNodes = roots[0]!;
  const root = rootNodes[0]!;
  const field = root.name.value as SubscriptionField;
  if (!subscriptionFields.includes(field)) return [badRequest(`Unknown subscription field ${field}.`)];
  const spec: SubscriptionSpec = subscriptionSpecs[field];

  let subjectId: string | undefined;
  if (spec.subjectArgument) {
    const argument = root.arguments?.find((arg) => arg.name.value === spec.subjectArgument);
    const definition = subscriptionType.getFields()[field]?.args.find((arg) => arg.name === spec.subjectArgument);
    const value = argument && definition && valueFromAST(argument.value, definition.type, variables);
    if (typeof value !== 'string' || value.length === 0) return [badRequest(`${field} needs an ${spec.subjectArgument}.`)];
    subjectId = value;
  }

  // Most subscriptions select the entity's fields directly; orderEvents under OrderEvent.order,
  // once per `order` field it selects (each fetched under its own key, so aliases keep their selection).
  const eventFields: EventField[] = [];
  const entitySelections: (readonly SelectionNode[])[] = [];
  const selectionsOf = (nodes: readonly FieldNode[]) => nodes.flatMap((node) => node.selectionSet?.selections ?? []);
  if (spec.wrapper) {
    const wrapperType = schema.getType(spec.wrapper.type);
    if (!isObjectType(wrapperType)) return [badRequest(`This supergraph has no ${spec.wrapper.type} type.`)];
    for (const [responseKey, nodes] of collectSubfields(schema, fragments, variables, wrapperType, rootNodes)) {
      const name = nodes[0]!.name.value;
      const eventField: EventField = { responseKey, name };
      if (name === spec.wrapper.entityField) {
        eventField.fetchKey = entityFetchKey(entitySelections.length);
        entitySelections.push(selectionsOf(nodes));
      }
      eventFields.push(eventField);
    }
    // Nothing of the entity selected: still fetch it, which checks access for this event.
    if (entitySelections.length === 0) entitySelections.push([{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }]);
  } else {
    entitySelections.push(selectionsOf(rootNodes));
  }

  const single = separateOperations(document)[operation.name?.value ?? ''] ?? document;
  const entityQuery = buildEntityQuery(operation, spec.fetch, entitySelections, document);
  const used = usedVariables(entityQuery);
  return {
    field,
    spec,
    responseKey: root.alias?.value ?? field,
    subjectId,
    document: single,
    operationName: operation.name?.value,
    variables,
    eventFields,
    entityQuery,
    entityQueryVariables: Object.fromEntries(Object.entries(variables).filter(([name]) => used.has(name))),
  };
}

function buildEntityQuery(
  operation: OperationDefinitionNode,
  fetch: EntityFetch,
  entitySelections: (readonly SelectionNode[])[],
  document: DocumentNode,
): DocumentNode {
  const keyVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_KEY_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: fetch.argumentType } } },
  };
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [keyVariable, ...(operation.variableDefinitions ?? [])],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: entitySelections.map((selections, index) => ({
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: entityFetchKey(index) },
        name: { kind: Kind.NAME, value: fetch.field },
        arguments: [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: fetch.argument },
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_KEY_VARIABLE } },
          },
        ],
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      })),
    },
  };
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  const draft: DocumentNode = { kind: Kind.DOCUMENT, definitions: [query, ...fragments] };
  // Keep only what the query uses: GraphQL refuses unused variables and unused fragments.
  const usedFragments = usedFragmentNames(draft);
  const used = usedVariables(draft);
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...query,
        variableDefinitions: query.variableDefinitions!.filter(
          (definition) => definition.variable.name.value === EVENT_KEY_VARIABLE || used.has(definition.variable.name.value),
        ),
      },
      ...fragments.filter((fragment) => usedFragments.has(fragment.name.value)),
    ],
  };
}

function usedVariables(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  visit(document, {
    VariableDefinition: () => false, // a definition is not a use
    Variable: (node) => {
      names.add(node.name.value);
    },
  });
  return names;
}

/** Fragments reachable from the operation (fragments may spread other fragments). */
function usedFragmentNames(document: DocumentNode): Set<string> {
  const byName = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) byName.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  const used = new Set<string>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        if (used.has(name)) return;
        used.add(name);
        const fragment = byName.get(name);
        if (fragment) walk(fragment);
      },
    });
  if (operation) walk(operation);
  return used;
}
