import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/**
 * What every walk over a client's document shares (limits, demand control, authorization,
 * subscription preparation). A document of n characters can spread fragments into 2^n fields
 * (`fragment F0 { ...F1 ...F1 } fragment F1 { ...F2 ...F2 } …`), so no walk here expands a
 * fragment at each of its uses: each fragment's contribution is computed once (per context that
 * changes it) and combined, and measures that grow with fan-out are numbers, not expansions.
 * Each walk also counts its steps against a budget: if a future walk is not linear after all, the
 * request is refused with a code instead of stalling the process.
 */

export type Fragments = Record<string, FragmentDefinitionNode>;

/** A document's fragment definitions by name. */
export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = Object.create(null) as Fragments;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

export const WORK_LIMIT_CODE = 'MAX_OPERATION_WORK_LIMIT';

/** The steps one walk over one document may take. */
export class Work {
  steps = 0;

  constructor(readonly limit: number) {}

  /** Counts `count` steps; refuses the document once the walk is over its budget. */
  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.limit) {
      throw new GraphQLError(
        `Analysing this operation took more than ${this.limit} steps; send a simpler operation (fewer repeated fields or fragment spreads).`,
        { extensions: { code: WORK_LIMIT_CODE, http: { status: 400 } } },
      );
    }
  }
}

/** A walk without a budget, for documents the gateway wrote itself. */
export const unlimitedWork = () => new Work(Number.POSITIVE_INFINITY);

/**
 * Counts saturate at 2^53 - 1: a fan-out can describe more fields than a double counts exactly,
 * and every limit is far below this anyway. Never NaN (0 × ∞ cannot happen).
 */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
export const addCounts = (a: number, b: number) => Math.min(a + b, MAX_COUNT);
export const multiplyCounts = (a: number, b: number) => (a === 0 || b === 0 ? 0 : Math.min(a * b, MAX_COUNT));
/** A count as a message shows it: saturated counts read "more than 2^53". */
export const showCount = (count: number) => (count >= MAX_COUNT ? 'more than 2^53' : String(count));

/**
 * Memoises a per-fragment computation for one walk. `compute` runs at most once per fragment and
 * key; a fragment that spreads itself (directly or not) and an unknown fragment give `empty`
 * (validation refuses both; these walks may run before it).
 */
export function fragmentMemo<T>(
  fragments: Fragments,
  empty: T,
  compute: (fragment: FragmentDefinitionNode, key: string) => T,
): (name: string, key?: string) => T {
  const done = new Map<string, T>();
  const inProgress = new Set<string>();
  return (name, key = '') => {
    const id = `${name}\u0000${key}`;
    const known = done.get(id);
    if (known !== undefined) return known;
    const fragment = fragments[name];
    if (!fragment || inProgress.has(id)) return empty;
    inProgress.add(id);
    try {
      const result = compute(fragment, key);
      done.set(id, result);
      return result;
    } finally {
      inProgress.delete(id);
    }
  };
}

/**
 * Whether a JSON value (a request body, variables, extensions) nests deeper than `max` arrays and
 * objects. Iterative, so the check itself cannot overflow the stack: JSON.parse is iterative in
 * V8 but JSON.stringify, graphql-js and most other code recurse once per level, and overflow at a
 * few thousand levels that a 1 MB body can easily hold.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
