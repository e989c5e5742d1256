import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  addCounts,
  fragmentMemo,
  showCount,
  unlimitedWork,
  type Fragments,
  type Work,
} from './document-walk';

export { fragmentsOf } from './document-walk';

/** Operation limits, checked after parsing and before validation, the query planner or any subgraph. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  /** Selections (fields, inline fragments, spreads), each fragment's counted at every spread. */
  maxRecursiveSelections: number;
}

/** Limits on the document's text, checked before it is parsed. */
export interface SourceLimits {
  maxDocumentBytes: number;
  /** Deepest nesting of braces, brackets and parentheses. */
  maxNesting: number;
}

export interface OperationMeasures {
  /** Deepest field nesting: `{ a { b } }` has depth 2. */
  depth: number;
  /** Aliased fields, counted at each use of a fragment (saturating at 2^53). */
  aliases: number;
  /** Fields selected on the root type, fragments included, counted at each use (saturating at 2^53). */
  rootFields: number;
  /**
   * Selections with fragments expanded, as Apollo Server's and Apollo Router's
   * max-recursive-selections limits count them: every field, inline fragment and fragment spread,
   * a fragment's selections counted at each of its spreads (saturating at 2^53).
   */
  recursiveSelections: number;
}

interface SetMeasures {
  depth: number;
  aliases: number;
  /** Fields at this level, through inline fragments and spreads. */
  fields: number;
  selections: number;
}

const EMPTY: SetMeasures = { depth: 0, aliases: 0, fields: 0, selections: 0 };

/**
 * Measures an operation with its fragments expanded, without expanding them: a fragment's measures
 * do not depend on where it is spread, so each is computed once and added at each use.
 * Linear in the document's size; `work` counts the steps.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: Fragments,
  work: Work = unlimitedWork(),
): OperationMeasures {
  const fragment = fragmentMemo(fragments, EMPTY, (definition) => measureSet(definition.selectionSet));
  const measureSet = (set: SelectionSetNode): SetMeasures => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let selections = 0;
    for (const selection of set.selections) {
      work.step();
      selections = addCounts(selections, 1);
      if (selection.kind === Kind.FIELD) {
        fields = addCounts(fields, 1);
        if (selection.alias) aliases = addCounts(aliases, 1);
        const inner = selection.selectionSet ? measureSet(selection.selectionSet) : EMPTY;
        depth = Math.max(depth, 1 + inner.depth);
        aliases = addCounts(aliases, inner.aliases);
        selections = addCounts(selections, inner.selections);
      } else {
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? measureSet(selection.selectionSet)
            : fragment(selection.name.value);
        depth = Math.max(depth, inner.depth);
        aliases = addCounts(aliases, inner.aliases);
        fields = addCounts(fields, inner.fields);
        selections = addCounts(selections, inner.selections);
      }
    }
    return { depth, aliases, fields, selections };
  };
  const { depth, aliases, fields, selections } = measureSet(operation.selectionSet);
  return { depth, aliases, rootFields: fields, recursiveSelections: selections };
}

const limitError = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The first limit an operation breaks, as the error Apollo Router gives for it, or undefined. */
export function checkOperationLimits(
  operation: OperationDefinitionNode,
  fragments: Fragments,
  limits: OperationLimits,
  work?: Work,
): GraphQLError | undefined {
  const measures = measureOperation(operation, fragments, work);
  if (measures.depth > limits.maxDepth) {
    return limitError(
      'MAX_DEPTH_LIMIT',
      `Maximum depth limit exceeded: ${measures.depth} > ${limits.maxDepth}.`,
    );
  }
  if (measures.aliases > limits.maxAliases) {
    return limitError(
      'MAX_ALIASES_LIMIT',
      `Maximum aliases limit exceeded: ${showCount(measures.aliases)} > ${limits.maxAliases}.`,
    );
  }
  if (measures.rootFields > limits.maxRootFields) {
    return limitError(
      'MAX_ROOT_FIELDS_LIMIT',
      `Maximum root fields limit exceeded: ${showCount(measures.rootFields)} > ${limits.maxRootFields}.`,
    );
  }
  if (measures.recursiveSelections > limits.maxRecursiveSelections) {
    return limitError(
      'MAX_RECURSIVE_SELECTIONS_LIMIT',
      `Maximum recursive selections limit exceeded: ${showCount(measures.recursiveSelections)} > ${limits.maxRecursiveSelections} (fragments counted at each spread).`,
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

const opening = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const closing = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Checks a document's text before anything parses it: its length, then (one pass of graphql-js's
 * lexer) how deeply it nests. graphql-js's parser and validation, the query planner and the walks
 * here all recurse once per level: `{a{a{a…` 3,000 levels deep overflows the parser's stack, and
 * would cost every later recursive pass the same. A document the lexer cannot read is left to
 * Apollo Server, which answers GRAPHQL_PARSE_FAILED.
 */
export function checkDocumentSource(query: string, limits: SourceLimits): GraphQLError | undefined {
  if (query.length > limits.maxDocumentBytes) return documentTooLarge(query.length, limits.maxDocumentBytes);
  const lexer = new Lexer(new Source(query));
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (opening.has(token.kind)) {
        nesting += 1;
        if (nesting > limits.maxNesting) {
          return limitError(
            'MAX_DEPTH_LIMIT',
            `The GraphQL document nests more than ${limits.maxNesting} levels of braces, brackets and parentheses.`,
          );
        }
      } else if (closing.has(token.kind)) {
        nesting -= 1;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
