// A client's field that a @requires also selects, with other arguments. @apollo/query-planner
// 2.14.4 merges selections by response name alone: when the client asks `comments(limit: 1)` on an
// entity whose `author @requires(fields: "comments(limit: 3) { authorId }")`, both land in one
// subgraph fetch as a single `comments(limit: 3)`, and the client gets three comments instead of
// one (federation-gateway-audit requires-with-argument #2–#4; Apollo Router does the same).
//
// The planner is right as soon as the two no longer share a response name, so before planning we
// give each such client field an alias of its own (`comments` → `_requiresArgs_comments`), plan
// and execute that operation, and give the response its names back (data keys, error paths).
// Operations selecting no field that a @requires selects with arguments are left untouched, and
// the work is done once per parsed document. docs/federation-compliance.md.
import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** The prefix of the aliases we give; a document already using it is left as it is. */
const ALIAS_PREFIX = '_requiresArgs_';

/** `Type.field` for every field that some @requires of the supergraph selects with arguments. */
export type RequiredFieldsWithArguments = ReadonlySet<string>;

function collectRequired(
  schema: GraphQLSchema,
  parentType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  into: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition
        ? schema.getType(selection.typeCondition.name.value)
        : parentType;
      if (condition && isCompositeType(condition))
        collectRequired(schema, condition, selection.selectionSet, into);
      continue;
    }
    // A union has no fields of its own but __typename, which takes no arguments.
    if (selection.kind !== Kind.FIELD || !('getFields' in parentType)) continue;
    const field = parentType.getFields()[selection.name.value];
    if (!field) continue;
    if (selection.arguments?.length) into.add(`${parentType.name}.${field.name}`);
    const fieldType = getNamedType(field.type);
    if (selection.selectionSet && isCompositeType(fieldType))
      collectRequired(schema, fieldType, selection.selectionSet, into);
  }
}

const requiredBySupergraph = new WeakMap<GraphQLSchema, RequiredFieldsWithArguments>();

/**
 * The fields the @requires of `supergraph` (the schema with its join__ directives) select with
 * arguments, remembered per supergraph schema.
 */
export function requiredFieldsWithArguments(supergraph: GraphQLSchema): RequiredFieldsWithArguments {
  let required = requiredBySupergraph.get(supergraph);
  if (!required) {
    const found = new Set<string>();
    for (const type of Object.values(supergraph.getTypeMap())) {
      if (!('getFields' in type) || !isCompositeType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        for (const directive of field.astNode?.directives ?? []) {
          if (directive.name.value !== 'join__field') continue;
          const requires = directive.arguments?.find((argument) => argument.name.value === 'requires');
          if (requires?.value.kind !== Kind.STRING) continue;
          const document = parse(`{ ${requires.value.value} }`, { noLocation: true });
          const definition = document.definitions[0];
          if (definition?.kind === Kind.OPERATION_DEFINITION)
            collectRequired(supergraph, type, definition.selectionSet, found);
        }
      }
    }
    required = found;
    requiredBySupergraph.set(supergraph, required);
  }
  return required;
}

export interface AliasedOperation {
  /** The document to plan and execute instead of the client's. */
  document: DocumentNode;
  /** Our alias → the client's response name. */
  responseNames: ReadonlyMap<string, string>;
}

function selects(
  schema: GraphQLSchema,
  parentType: GraphQLCompositeType,
  fieldName: string,
  required: RequiredFieldsWithArguments,
) {
  if (required.has(`${parentType.name}.${fieldName}`)) return true;
  return (
    isAbstractType(parentType) &&
    schema.getPossibleTypes(parentType).some((type) => required.has(`${type.name}.${fieldName}`))
  );
}

/**
 * `document` with an alias of ours on every field that a @requires also selects with arguments
 * (see the header), or undefined when it has none (or already uses our alias prefix).
 */
export function aliasFieldsRequiredWithArguments(
  apiSchema: GraphQLSchema,
  document: DocumentNode,
  required: RequiredFieldsWithArguments,
): AliasedOperation | undefined {
  if (required.size === 0) return undefined;
  const responseNames = new Map<string, string>();
  let prefixInUse = false;
  const typeInfo = new TypeInfo(apiSchema);
  const aliased = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const responseName = node.alias?.value ?? node.name.value;
        if (responseName.startsWith(ALIAS_PREFIX)) prefixInUse = true;
        const parentType = typeInfo.getParentType();
        if (!parentType || !selects(apiSchema, parentType, node.name.value, required)) return undefined;
        // The same alias for the same response name everywhere: selections that merged before
        // (two fragments selecting `comments(limit: $limit)`) still merge.
        const alias = `${ALIAS_PREFIX}${responseName}`;
        responseNames.set(alias, responseName);
        return { ...node, alias: { kind: Kind.NAME, value: alias } };
      },
    }),
  );
  if (prefixInUse || responseNames.size === 0) return undefined;
  return { document: aliased, responseNames };
}

function restoreNames(value: unknown, responseNames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => restoreNames(item, responseNames));
  if (value === null || typeof value !== 'object') return value;
  const restored: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value))
    restored[responseNames.get(key) ?? key] = restoreNames(child, responseNames);
  return restored;
}

function restorePath(
  path: readonly (string | number)[] | undefined,
  responseNames: ReadonlyMap<string, string>,
) {
  return path?.map((segment) =>
    typeof segment === 'string' ? (responseNames.get(segment) ?? segment) : segment,
  );
}

function restoreError<E extends GraphQLError | GraphQLFormattedError>(
  error: E,
  responseNames: ReadonlyMap<string, string>,
): E {
  if (!error.path) return error;
  if (error instanceof GraphQLError)
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: restorePath(error.path, responseNames),
      originalError: error.originalError,
      extensions: error.extensions,
    }) as E;
  return { ...error, path: restorePath(error.path, responseNames) };
}

interface ExecutionResultLike {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** `result` of the aliased operation with the client's response names back. */
export function restoreResponseNames<R extends ExecutionResultLike>(result: R, aliased: AliasedOperation): R {
  const { responseNames } = aliased;
  const restored: R = { ...result };
  if (result.data) restored.data = restoreNames(result.data, responseNames) as R['data'];
  if (result.errors) restored.errors = result.errors.map((error) => restoreError(error, responseNames));
  const valueCompletion = result.extensions?.valueCompletion;
  if (Array.isArray(valueCompletion))
    restored.extensions = {
      ...result.extensions,
      valueCompletion: valueCompletion.map((error: GraphQLError) => restoreError(error, responseNames)),
    };
  return restored;
}
