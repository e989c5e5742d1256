// From a client's subscription operation to what the engine needs: which subscription it is, its
// arguments, and the query that fetches, through the supergraph, the Order fields the subscriber
// selected — run once per event with the subscriber's own token.
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

export const subscriptionFields = ['orderUpdated', 'myOrderUpdates', 'orderEvents'] as const;
export type SubscriptionField = (typeof subscriptionFields)[number];

/** The variable the per-event query takes the event's order id in; clients cannot collide with it. */
export const ORDER_ID_VARIABLE = '__cloudmartEventOrderId';
/** The response keys of the orders in the per-event query's result: one per `order` selection. */
export const orderFetchKey = (index: number) => `__cloudmartOrder${index}`;

/** A field of OrderEvent as the subscriber selected it (orderEvents only). */
export interface EventField {
  responseKey: string;
  name: '__typename' | 'status' | 'at' | 'order';
  /** For `order`: its key in the per-event query's result. */
  fetchKey?: string;
}

export interface PreparedSubscription {
  field: SubscriptionField;
  /** The subscription's response key (its alias, or the field name). */
  responseKey: string;
  /** orderUpdated's orderId argument. */
  orderId?: string;
  /** The client's document reduced to the one operation, for assembling each event's result. */
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** orderEvents: OrderEvent's fields in the order the subscriber selected them. */
  eventFields: EventField[];
  /** `query($__cloudmartEventOrderId: ID!) { __cloudmartOrder0: order(id: …) { <selection> } … }` */
  orderQuery: DocumentNode;
  /** The client's variables the order query uses. */
  orderQueryVariables: Record<string, unknown>;
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

  let orderId: string | undefined;
  if (field === 'orderUpdated') {
    const argument = root.arguments?.find((arg) => arg.name.value === 'orderId');
    const value = argument && valueFromAST(argument.value, schema.getType('ID') as never, variables);
    if (typeof value !== 'string' || value.length === 0) return [badRequest('orderUpdated needs an orderId.')];
    orderId = value;
  }

  // orderUpdated and myOrderUpdates select Order fields directly; orderEvents under OrderEvent.order,
  // once per `order` field it selects (each fetched under its own key, so aliases keep their selection).
  const eventFields: EventField[] = [];
  const orderSelections: (readonly SelectionNode[])[] = [];
  const selectionsOf = (nodes: readonly FieldNode[]) => nodes.flatMap((node) => node.selectionSet?.selections ?? []);
  if (field === 'orderEvents') {
    const eventType = schema.getType('OrderEvent');
    if (!isObjectType(eventType)) return [badRequest('This supergraph has no OrderEvent type.')];
    for (const [responseKey, nodes] of collectSubfields(schema, fragments, variables, eventType, rootNodes)) {
      const name = nodes[0]!.name.value as EventField['name'];
      const eventField: EventField = { responseKey, name };
      if (name === 'order') {
        eventField.fetchKey = orderFetchKey(orderSelections.length);
        orderSelections.push(selectionsOf(nodes));
      }
      eventFields.push(eventField);
    }
    // Nothing of the order selected: still fetch it, which checks access for this event.
    if (orderSelections.length === 0) orderSelections.push([{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }]);
  } else {
    orderSelections.push(selectionsOf(rootNodes));
  }

  const single = separateOperations(document)[operation.name?.value ?? ''] ?? document;
  const orderQuery = buildOrderQuery(operation, orderSelections, document);
  const used = usedVariables(orderQuery);
  return {
    field,
    responseKey: root.alias?.value ?? field,
    orderId,
    document: single,
    operationName: operation.name?.value,
    variables,
    eventFields,
    orderQuery,
    orderQueryVariables: Object.fromEntries(Object.entries(variables).filter(([name]) => used.has(name))),
  };
}

function buildOrderQuery(
  operation: OperationDefinitionNode,
  orderSelections: (readonly SelectionNode[])[],
  document: DocumentNode,
): DocumentNode {
  const orderIdVariable: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ORDER_ID_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [orderIdVariable, ...(operation.variableDefinitions ?? [])],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: orderSelections.map((selections, index) => ({
        kind: Kind.FIELD,
        alias: { kind: Kind.NAME, value: orderFetchKey(index) },
        name: { kind: Kind.NAME, value: 'order' },
        arguments: [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'id' },
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ORDER_ID_VARIABLE } },
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
          (definition) => definition.variable.name.value === ORDER_ID_VARIABLE || used.has(definition.variable.name.value),
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
