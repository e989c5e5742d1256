// Our executor for @apollo/gateway's query plans: a port of @apollo/gateway 2.14.4's
// executeQueryPlan (src/executeQueryPlan.ts) that runs the same plan (planning is untouched), sends
// the same subgraph operations through the same data sources, records the same spans and builds
// the same response, with three differences in how it gets there (docs/performance.md):
//
// 1. Result shaping is compiled once per operation (./result-shaping.ts), and the @apollo/
//    federation-internals Operation it needs is built once per parsed document instead of per
//    request.
// 2. Identical entity representations in one fetch are sent once (Apollo Router does the same):
//    20 reviews of 3 products ask the products subgraph for 3 entities, and each answer is merged
//    into every entity that asked for it (a copy each, so no two places in the result share an
//    object). An error the subgraph reports for one of them is reported at each of those entities,
//    as it would have been had each been sent, in the order stock would list them as far as the
//    subgraph's order tells (errors reported together in entity order; see sendOperation).
// 3. Paths are walked by index, the `requires` of a fetch are read without @apollo/gateway's
//    per-call allocations, and type-condition tests are remembered per supergraph schema.
//
// Requests whose traces are captured for Apollo's usage reporting (FTV1) are left to the stock
// executor (./install.ts), so that path needs nothing from here.
//
// Where @apollo/gateway 2.14.4 answers wrongly, ours does not (docs/federation-compliance.md): a
// root field the planner left out of every fetch is an error (./unplanned-fields.ts), and
// install.ts aliases client fields that a @requires selects with other arguments.
import {
  assert,
  errorCodeDef,
  ERRORS,
  operationFromDocument,
  type Operation,
  type Schema,
} from '@apollo/federation-internals';
import {
  evaluateCondition,
  getResponseName,
  type FetchNode,
  type PlanNode,
  type QueryPlan,
  type QueryPlanFieldNode,
  type QueryPlanSelectionNode,
  type ResponsePath,
} from '@apollo/query-planner';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  executeSync,
  GraphQLError,
  Kind,
  OperationTypeNode,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLErrorOptions,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { OperationContext } from '@apollo/gateway/dist/operationContext';
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { getOwn, hasOwn } from '@apollo/gateway/dist/utilities/own';
import {
  OpenTelemetrySpanNames,
  recordExceptions,
  tracer,
  type OpenTelemetryConfig,
} from '@apollo/gateway/dist/utilities/opentelemetry';
import { deepMerge } from './merge';
import { compileShaping, type CompiledShaping } from './result-shaping';
import { typeConditionTester, type TypeConditionTester } from './type-conditions';
import { unplannedRootFieldError } from './unplanned-fields';

type GatewayGraphQLRequestContext = Parameters<ApolloGateway['executor']>[0];
type GatewayExecutionResult = Awaited<ReturnType<ApolloGateway['executor']>>;
type ServiceMap = Record<string, GraphQLDataSource>;
type ResultMap = Record<string, unknown>;

interface ResultCursor {
  path: ResponsePath;
  data: ResultMap | ResultMap[];
  fullResult: ResultMap;
}

interface ExecutionContext {
  operationContext: OperationContext;
  operation: Operation;
  serviceMap: ServiceMap;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  isObjectOfType: TypeConditionTester;
  errors: GraphQLError[];
}

interface PreparedOperation {
  operation: Operation;
  shaping: CompiledShaping;
}

// Per API schema, per parsed operation (Apollo Server keeps parsed documents, so the same node comes
// back for every request of the same query). Both are weak: a new supergraph or an evicted document
// takes its entries with it.
const preparedOperations = new WeakMap<Schema, WeakMap<OperationDefinitionNode, PreparedOperation>>();

function prepareOperation(apiSchema: Schema, operationContext: OperationContext): PreparedOperation {
  let perSchema = preparedOperations.get(apiSchema);
  if (!perSchema) {
    perSchema = new WeakMap();
    preparedOperations.set(apiSchema, perSchema);
  }
  let prepared = perSchema.get(operationContext.operation);
  if (!prepared) {
    const operation = operationFromDocument(
      apiSchema,
      {
        kind: Kind.DOCUMENT,
        definitions: [operationContext.operation, ...Object.values(operationContext.fragments)],
      },
      { validate: false },
    );
    prepared = { operation, shaping: compileShaping(operation) };
    perSchema.set(operationContext.operation, prepared);
  }
  return prepared;
}

export async function executeQueryPlan(
  queryPlan: QueryPlan,
  serviceMap: ServiceMap,
  requestContext: GatewayGraphQLRequestContext,
  operationContext: OperationContext,
  supergraphSchema: GraphQLSchema,
  apiSchema: Schema,
  telemetryConfig?: OpenTelemetryConfig,
): Promise<GatewayExecutionResult> {
  const logger = requestContext.logger || console;

  return tracer.startActiveSpan(OpenTelemetrySpanNames.EXECUTE, async (span) => {
    try {
      const errors: GraphQLError[] = [];

      let prepared: PreparedOperation;
      try {
        prepared = prepareOperation(apiSchema, operationContext);
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: [error] };
        throw error;
      }
      const { operation, shaping } = prepared;
      // A root field the planner left out of every fetch cannot be answered (./unplanned-fields.ts).
      const unplanned = unplannedRootFieldError(queryPlan, operation);
      if (unplanned) return { errors: [unplanned] };

      const context: ExecutionContext = {
        operationContext,
        operation,
        serviceMap,
        requestContext,
        supergraphSchema,
        isObjectOfType: typeConditionTester(supergraphSchema),
        errors,
      };

      const unfilteredData: ResultMap = Object.create(null);

      if (queryPlan.node?.kind === 'Subscription') {
        throw new Error('Execution of subscriptions not supported by gateway');
      }

      if (queryPlan.node) {
        await executeNode(context, queryPlan.node, { path: [], data: unfilteredData, fullResult: unfilteredData }, telemetryConfig);
      }

      const result = await tracer.startActiveSpan(OpenTelemetrySpanNames.POST_PROCESSING, async (postSpan) => {
        let data;
        try {
          let postProcessingErrors: GraphQLError[];
          const variables = requestContext.request.variables;
          const shaped = shaping.shape(unfilteredData, variables);
          if (shaped !== undefined) {
            data = shaped;
            postProcessingErrors = [];
          } else {
            ({ data, errors: postProcessingErrors } = computeResponse({
              operation,
              variables,
              input: unfilteredData,
              introspectionHandling: (field) =>
                executeIntrospection(
                  operationContext.schema,
                  field.expandFragments().toSelectionNode(),
                  operationContext.operation.variableDefinitions,
                  variables,
                ),
            }));
          }

          // As @apollo/gateway does: post-processing errors are dropped when execution had errors
          // (they are usually the same problem), and otherwise returned as the `valueCompletion`
          // extension, not as errors.
          if (errors.length === 0 && postProcessingErrors.length > 0) {
            recordExceptions(postSpan, postProcessingErrors, telemetryConfig);
            postSpan.setStatus({ code: SpanStatusCode.ERROR });
            return { extensions: { valueCompletion: postProcessingErrors }, data };
          }
        } catch (error) {
          recordExceptions(postSpan, [error as Error], telemetryConfig);
          postSpan.setStatus({ code: SpanStatusCode.ERROR });
          if (error instanceof GraphQLError) {
            return { errors: [error] };
          } else if (error instanceof Error) {
            return { errors: [new GraphQLError(error.message, { originalError: error })] };
          } else {
            logger.error('Unexpected error during query plan execution: ' + String(error));
            return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
          }
        } finally {
          postSpan.end();
        }
        return errors.length === 0 ? { data } : { errors, data };
      });

      if (result.errors) {
        recordExceptions(span, result.errors, telemetryConfig);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return result as GatewayExecutionResult;
    } catch (error) {
      recordExceptions(span, [error as Error], telemetryConfig);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function executeNode(
  context: ExecutionContext,
  node: PlanNode,
  cursor: ResultCursor | undefined,
  telemetryConfig: OpenTelemetryConfig | undefined,
): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(context, child, cursor, telemetryConfig);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(context, child, cursor, telemetryConfig)));
      return;
    case 'Flatten':
      await executeNode(context, node.node, moveIntoCursor(cursor, node.path), telemetryConfig);
      return;
    case 'Fetch':
      try {
        await executeFetch(context, node, cursor, telemetryConfig);
      } catch (error) {
        context.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const condition = evaluateCondition(
        node,
        context.operation.variableDefinitions,
        context.requestContext.request.variables,
      );
      const picked = condition ? node.ifClause : node.elseClause;
      if (picked) await executeNode(context, picked, cursor, telemetryConfig);
      return;
    }
    case 'Defer':
      assert(false, `@defer support is not available in the gateway`);
  }
}

/** The entities of one fetch's representations: each distinct representation once, with where it came from. */
interface Representations {
  /** Distinct representations, in order of first appearance: what is sent. */
  distinct: ResultMap[];
  /** For each entity that has a representation (stock's order), the index of its distinct representation. */
  distinctOf: number[];
  /** For each entity that has a representation, its index in the cursor's entities. */
  entityOf: number[];
}

function collectRepresentations(
  context: ExecutionContext,
  fetch: FetchNode,
  requires: QueryPlanSelectionNode[],
  entities: ResultMap[],
): Representations {
  const steps = prepareRequires(requires);
  const distinct: ResultMap[] = [];
  const distinctOf: number[] = [];
  const entityOf: number[] = [];
  const seen = new Map<string, number>();
  for (let index = 0; index < entities.length; index++) {
    // `requires` may name @inaccessible elements: read with the supergraph schema, as stock does.
    const representation = readRepresentation(entities[index]!, steps, context.isObjectOfType);
    if (!representation || !representation.__typename) continue;
    applyRewrites(context.supergraphSchema, fetch.inputRewrites, representation);
    const key = JSON.stringify(representation);
    let position = seen.get(key);
    if (position === undefined) {
      position = distinct.length;
      seen.set(key, position);
      distinct.push(representation);
    }
    distinctOf.push(position);
    entityOf.push(index);
  }
  return { distinct, distinctOf, entityOf };
}

async function executeFetch(
  context: ExecutionContext,
  fetch: FetchNode,
  cursor: ResultCursor,
  telemetryConfig: OpenTelemetryConfig | undefined,
): Promise<void> {
  const service = context.serviceMap[fetch.serviceName];

  return tracer.startActiveSpan(OpenTelemetrySpanNames.FETCH, { attributes: { service: fetch.serviceName } }, async (span) => {
    try {
      if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);

      const entities: ResultMap[] = Array.isArray(cursor.data)
        ? cursor.data.filter((entity) => entity !== null && entity !== undefined)
        : [cursor.data];
      if (entities.length < 1) return;

      const variables: Record<string, unknown> = Object.create(null);
      if (fetch.variableUsages) {
        const provided = context.requestContext.request.variables;
        for (const name of fetch.variableUsages) {
          if (provided && hasOwn(provided, name) && typeof provided[name] !== 'undefined') {
            variables[name] = provided[name];
          }
        }
      }

      if (!fetch.requires) {
        const received = await sendOperation(context, fetch, cursor, service, variables, undefined);
        if (received) applyRewrites(context.supergraphSchema, fetch.outputRewrites, received);
        for (const entity of entities) deepMerge(entity, received);
        return;
      }

      const representations = collectRepresentations(context, fetch, fetch.requires, entities);
      if (representations.distinct.length < 1) return;
      if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);

      const received = await sendOperation(
        context,
        fetch,
        cursor,
        service,
        { ...variables, representations: representations.distinct },
        representations,
      );
      if (!received) return;
      if (!(received._entities && Array.isArray(received._entities))) {
        throw new Error(`Expected "data._entities" in response to be an array`);
      }
      const receivedEntities: ResultMap[] = received._entities;
      if (receivedEntities.length !== representations.distinct.length) {
        throw new Error(`Expected "data._entities" to contain ${representations.distinct.length} elements`);
      }

      // Each answer goes to every entity that asked for it; all but the last get a copy, made before
      // the answer is given its entity's __typename and rewrites.
      const { distinctOf, entityOf } = representations;
      const lastUse = new Array<number>(receivedEntities.length);
      for (let use = 0; use < distinctOf.length; use++) lastUse[distinctOf[use]!] = use;
      for (let use = 0; use < distinctOf.length; use++) {
        const answer = receivedEntities[distinctOf[use]!];
        const receivedEntity = lastUse[distinctOf[use]!] === use ? answer : copyJson(answer);
        const existingEntity = entities[entityOf[use]!]!;
        if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existingEntity.__typename;
        applyRewrites(context.supergraphSchema, fetch.outputRewrites, receivedEntity!);
        deepMerge(existingEntity, receivedEntity);
      }
    } catch (error) {
      recordExceptions(span, [error as Error], telemetryConfig);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A copy of a subgraph's answer (JSON data: objects, arrays, scalars). */
function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const copy: ResultMap = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') Object.defineProperty(copy, key, { value: copyJson((value as ResultMap)[key]), enumerable: true, writable: true, configurable: true });
    else copy[key] = copyJson((value as ResultMap)[key]);
  }
  return copy as T;
}

async function sendOperation(
  context: ExecutionContext,
  fetch: FetchNode,
  cursor: ResultCursor,
  service: GraphQLDataSource,
  variables: Record<string, unknown>,
  representations: Representations | undefined,
): Promise<ResultMap | null | undefined> {
  const response = await service.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: context.requestContext,
    context: context.requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });

  if (response.errors) {
    const pathsOf = lazyErrorPaths(fetch, cursor, representations);
    const deduplicated = representations !== undefined && representations.distinct.length < representations.distinctOf.length;
    const errors: { error: GraphQLError; run: number; order: number }[] = [];
    // A subgraph reports the errors that happen together (all of a synchronous list, or those
    // of one tick) in representation order, and later ones after them. So a drop in the
    // representation index starts a new run; had each entity been sent, the repeats of a
    // representation would have failed in the same run, in entity order.
    let run = 0;
    let previousIndex = -1;
    for (const error of response.errors) {
      const index = error.path?.[1];
      if (deduplicated && typeof index === 'number') {
        if (index <= previousIndex) run++;
        previousIndex = index;
      }
      for (const { path, order } of pathsOf(error.path)) {
        errors.push({ error: downstreamServiceError(error, fetch.serviceName, path), run, order });
      }
    }
    if (deduplicated) errors.sort((a, b) => a.run - b.run || a.order - b.order);
    context.errors.push(...errors.map(({ error }) => error));

    if (!response.extensions?.ftv1) {
      const errorPaths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      const metrics = context.requestContext.metrics;
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...errorPaths);
      else metrics.nonFtv1ErrorPaths = errorPaths;
    }
  }
  return response.data;
}

type ErrorPath = GraphQLErrorOptions['path'];

/**
 * @apollo/gateway's makeLazyErrorPathGenerator, for deduplicated representations: an error at
 * `_entities[i]` becomes one error per entity that sent representation i, each at that entity's
 * path in the result (`order` is that entity's position, or -1).
 */
function lazyErrorPaths(
  fetch: FetchNode,
  cursor: ResultCursor,
  representations: Representations | undefined,
): (errorPath: ErrorPath) => { path: ErrorPath; order: number }[] {
  let hydratedPaths: ResponsePath[] | undefined;
  let usesOf: number[][] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydratedPaths) {
        hydratedPaths = [];
        generateHydratedPaths([], cursor.path, 0, cursor.fullResult, hydratedPaths);
      }
      if (!usesOf && representations) {
        usesOf = representations.distinct.map(() => []);
        representations.distinctOf.forEach((distinct, use) => usesOf![distinct]!.push(use));
      }
      const rest = errorPath.slice(2);
      const uses = usesOf?.[errorPath[1]] ?? [errorPath[1]];
      // Stock indexes its hydrated paths by representation index: so do we, per original representation.
      return uses.map((use) => ({ path: [...(hydratedPaths![use] ?? []), ...rest], order: use }));
    }
    return [{ path: errorPath ? [...cursor.path, ...errorPath] : undefined, order: -1 }];
  };
}

/** @apollo/gateway's generateHydratedPaths, walking `path` by index. */
function generateHydratedPaths(
  parent: ResponsePath,
  path: ResponsePath,
  at: number,
  data: unknown,
  result: ResponsePath[],
): void {
  if (data == null) return;
  const head = path[at];
  if (head == null) {
    result.push(parent.slice());
  } else if (head === '@') {
    assert(Array.isArray(data), 'expected array when encountering `@`');
    for (let index = 0; index < data.length; index++) {
      parent.push(index);
      generateHydratedPaths(parent, path, at + 1, data[index], result);
      parent.pop();
    }
  } else if (typeof head === 'string') {
    if (Array.isArray(data)) {
      for (let index = 0; index < data.length; index++) {
        parent.push(index);
        generateHydratedPaths(parent, path, at, data[index], result);
        parent.pop();
      }
    } else if (hasOwn(data as object, head)) {
      parent.push(head);
      generateHydratedPaths(parent, path, at + 1, (data as ResultMap)[head], result);
      parent.pop();
    }
  } else {
    assert(false, `unknown path part "${String(head)}"`);
  }
}

/** A fetch's `requires` selection, prepared once per plan node (plans are cached, so nodes are too). */
type RequiresStep =
  | { kind: 'field'; responseName: string; guarded: boolean; selections?: RequiresStep[] }
  | { kind: 'fragment'; typeCondition: string; selections: RequiresStep[] };

const preparedRequires = new WeakMap<QueryPlanSelectionNode[], RequiresStep[]>();

function prepareRequires(selections: QueryPlanSelectionNode[]): RequiresStep[] {
  let steps = preparedRequires.get(selections);
  if (steps) return steps;
  steps = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const responseName = getResponseName(selection as QueryPlanFieldNode);
      const subSelections = (selection as QueryPlanFieldNode).selections;
      steps.push({
        kind: 'field',
        responseName,
        guarded: responseName in Object.prototype,
        ...(subSelections ? { selections: prepareRequires(subSelections) } : {}),
      });
    } else if (selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition) {
      // Stock skips inline fragments without a type condition.
      steps.push({ kind: 'fragment', typeCondition: selection.typeCondition, selections: prepareRequires(selection.selections) });
    }
  }
  preparedRequires.set(selections, steps);
  return steps;
}

/**
 * The representation of one entity: stock's executeSelectionSet over the prepared `requires`
 * (null: the entity lacks one of its inputs). Representations are plain objects: they are only
 * read, serialized and compared as JSON.
 */
function readRepresentation(
  source: ResultMap | null,
  steps: RequiresStep[],
  isObjectOfType: TypeConditionTester,
): ResultMap | null {
  if (source === null) return null;
  const result: ResultMap = {};
  for (const step of steps) {
    if (step.kind === 'field') {
      const name = step.responseName;
      const value = step.guarded ? (hasOwn(source, name) ? source[name] : undefined) : source[name];
      if (value === undefined) return null;
      let read: unknown;
      if (Array.isArray(value)) {
        read = step.selections
          ? value.map((element: ResultMap | null) => readRepresentation(element, step.selections!, isObjectOfType))
          : value.slice();
      } else {
        read = step.selections ? readRepresentation(value as ResultMap | null, step.selections, isObjectOfType) : value;
      }
      if (name === '__proto__') Object.defineProperty(result, name, { value: read, enumerable: true, writable: true, configurable: true });
      else result[name] = read;
    } else if (isObjectOfType(source, step.typeCondition)) {
      deepMerge(result, readRepresentation(source, step.selections, isObjectOfType));
    }
  }
  return result;
}

function moveIntoCursor(cursor: ResultCursor, pathInCursor: ResponsePath): ResultCursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor, 0);
  return data ? { path: cursor.path.concat(pathInCursor), data: data as ResultMap | ResultMap[], fullResult: cursor.fullResult } : undefined;
}

/** @apollo/gateway's flattenResultsAtPath, walking `path` by index instead of copying its rest at each step. */
function flattenResultsAtPath(value: unknown, path: ResponsePath, at: number): unknown {
  if (at === path.length) return value;
  if (value === undefined || value === null) return value;
  const current = path[at];
  if (current === '@') {
    const flattened: unknown[] = [];
    for (const element of value as unknown[]) {
      const inner = flattenResultsAtPath(element, path, at + 1);
      if (Array.isArray(inner)) {
        for (const item of inner) flattened.push(item);
      } else {
        flattened.push(inner);
      }
    }
    return flattened;
  }
  assert(typeof current === 'string', () => `Unexpected ${typeof current} found in path`);
  assert(!Array.isArray(value), () => `Unexpected array in result for path element ${current}`);
  return flattenResultsAtPath(getOwn(value, current as never), path, at + 1);
}

function downstreamServiceError(originalError: GraphQLFormattedError, serviceName: string, path: ErrorPath) {
  let { message } = originalError;
  const { extensions } = originalError;
  if (!message) message = `Error while fetching subquery from service "${serviceName}"`;
  const errorOptions: GraphQLErrorOptions = {
    originalError: originalError as Error,
    path,
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(originalError);
  if (!codeDef && extensions?.code) return new GraphQLError(message, errorOptions);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, errorOptions);
}

// Introspection inside a federated query (`__schema`, `__type`): answered from the API schema, as
// @apollo/gateway does (its helpers are private to its module).
function collectUsedVariables(node: ASTNode): Set<string> {
  const used = new Set<string>();
  visit(node, {
    Variable: ({ name }) => {
      used.add(name.value);
    },
  });
  return used;
}

function executeIntrospection(
  schema: GraphQLSchema,
  introspectionSelection: FieldNode,
  variableDefinitions: readonly VariableDefinitionNode[] | undefined,
  variableValues: Record<string, unknown> | undefined,
): unknown {
  const used = collectUsedVariables(introspectionSelection);
  const usedDefinitions = variableDefinitions?.filter((definition) => used.has(definition.variable.name.value));
  assert(used.size === (usedDefinitions?.length ?? 0), () => `Should have found all used variables ${[...used]}`);
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        variableDefinitions: usedDefinitions,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [introspectionSelection] },
      },
    ],
  };
  const { data, errors } = executeSync({ schema, document, rootValue: {}, variableValues });
  assert(!errors || errors.length === 0, () => `Introspection query should not have failed but got ${JSON.stringify(errors)}`);
  assert(data, () => `Introspection query should not have failed`);
  return getOwn(data, (introspectionSelection.alias?.value ?? introspectionSelection.name.value) as never);
}
