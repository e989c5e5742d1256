import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Operation limits, checked after validation and before the query planner or any subgraph. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

export interface OperationMeasures {
  /** Deepest field nesting: `{ a { b } }` has depth 2. */
  depth: number;
  /** Aliased fields, counted at each use of a fragment. */
  aliases: number;
  /** Fields selected on the root type, fragments included. */
  rootFields: number;
}

type Fragments = Record<string, FragmentDefinitionNode>;

/** A document's fragment definitions by name, as the measures and checks here take them. */
export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/**
 * Measures an operation with its fragments expanded. A fragment's own measures do not depend on
 * where it is spread, so each is computed once: a fragment bomb costs linear time here.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: Fragments,
): OperationMeasures {
  const memo = new Map<string, { depth: number; aliases: number }>();
  const measureSet = (set: SelectionSetNode, seen: Set<string>): { depth: number; aliases: number } => {
    let depth = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const inner = selection.selectionSet
          ? measureSet(selection.selectionSet, seen)
          : { depth: 0, aliases: 0 };
        depth = Math.max(depth, 1 + inner.depth);
        aliases += inner.aliases;
      } else {
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? measureSet(selection.selectionSet, seen)
            : measureFragment(selection.name.value, seen);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
      }
    }
    return { depth, aliases };
  };
  const measureFragment = (name: string, seen: Set<string>) => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments[name];
    // Unknown or cyclic fragments fail validation before this runs; count them as empty.
    if (!fragment || seen.has(name)) return { depth: 0, aliases: 0 };
    const result = measureSet(fragment.selectionSet, new Set([...seen, name]));
    memo.set(name, result);
    return result;
  };
  const countRootFields = (set: SelectionSetNode, seen: Set<string>): number =>
    set.selections.reduce((count, selection) => {
      if (selection.kind === Kind.FIELD) return count + 1;
      if (selection.kind === Kind.INLINE_FRAGMENT)
        return count + countRootFields(selection.selectionSet, seen);
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) return count;
      return count + countRootFields(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    }, 0);
  const { depth, aliases } = measureSet(operation.selectionSet, new Set());
  return { depth, aliases, rootFields: countRootFields(operation.selectionSet, new Set()) };
}

const limitError = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The first limit an operation breaks, as the error Apollo Router gives for it, or undefined. */
export function checkOperationLimits(
  operation: OperationDefinitionNode,
  fragments: Fragments,
  limits: OperationLimits,
): GraphQLError | undefined {
  const measures = measureOperation(operation, fragments);
  if (measures.depth > limits.maxDepth) {
    return limitError(
      'MAX_DEPTH_LIMIT',
      `Maximum depth limit exceeded: ${measures.depth} > ${limits.maxDepth}.`,
    );
  }
  if (measures.aliases > limits.maxAliases) {
    return limitError(
      'MAX_ALIASES_LIMIT',
      `Maximum aliases limit exceeded: ${measures.aliases} > ${limits.maxAliases}.`,
    );
  }
  if (measures.rootFields > limits.maxRootFields) {
    return limitError(
      'MAX_ROOT_FIELDS_LIMIT',
      `Maximum root fields limit exceeded: ${measures.rootFields} > ${limits.maxRootFields}.`,
    );
  }
  return undefined;
}

/** Documents longer than the limit are refused before they are parsed. */
export const documentTooLarge = (length: number, max: number) =>
  limitError(
    'MAX_DOCUMENT_SIZE_LIMIT',
    `The GraphQL document is ${length} characters long; the limit is ${max}.`,
  );
