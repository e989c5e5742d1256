// A corpus of GraphQL attack shapes (issue 23): each request is built to the gateway's document
// size limit, from a small vocabulary of the graph it targets, so the same shapes run against the
// shop's supergraph (gateway/test/security/attack-corpus.test.ts) and against the bench supergraph
// beside stock @apollo/gateway (bench/security-documents.bench.ts).

/** What a shape needs to know of the graph it is sent to. */
export interface AttackVocabulary {
  /** A root field returning a list of objects, with no required argument. */
  listField: string;
  /** The object type it returns. */
  objectType: string;
  /** Two scalar fields of that type. */
  scalars: [string, string];
  /** A root field looked up by one ID argument, and a scalar to select of what it returns. */
  lookup: { field: string; argument: string; selection: string; type: string };
  /** A selection on the lookup's type that only some callers may see (authorization), if any. */
  protectedSelection?: string;
}

export const shopVocabulary: AttackVocabulary = {
  listField: 'categories',
  objectType: 'Category',
  scalars: ['id', 'name'],
  lookup: { field: 'product', argument: 'id', selection: 'id', type: 'Product' },
  protectedSelection: 'sentiment { reviewCount }',
};

/** What the subscription shapes need: a subscription field without arguments and its type. */
export interface SubscriptionVocabulary {
  field: string;
  type: string;
  scalar: string;
}

export const shopSubscriptionVocabulary: SubscriptionVocabulary = {
  field: 'myOrderUpdates',
  type: 'Order',
  scalar: 'id',
};

/** The fan-outs as subscriptions, which reach the gateway over graphql-ws, not its HTTP middleware. */
export function subscriptionAttackShapes(vocabulary: SubscriptionVocabulary, maxDocumentBytes = 20_000): AttackShape[] {
  const { field, type, scalar } = vocabulary;
  const budget = maxDocumentBytes - 16;
  const root = 'subscription { ...F0 }';
  const nested = `subscription { ${field} { ...F0 } }`;
  const shapes: AttackShape[] = [
    {
      name: 'subscription-fan-out-root',
      description: 'fragments on the Subscription type, each spreading the next twice',
      query: `${root} ${fanOut(budget - root.length, 'Subscription', `${field} { ${scalar} }`)}`,
      body: undefined,
      outcome: { kind: 'refused', codes: ['MAX_ROOT_FIELDS_LIMIT'] },
    },
    {
      name: 'subscription-fan-out-nested',
      description: "the fan-out under the subscription's field",
      query: `${nested} ${fanOut(budget - nested.length, type, scalar)}`,
      body: undefined,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT'] },
    },
    {
      name: 'subscription-deep-nesting',
      description: 'inline fragments nested as deep as the size allows',
      query: (() => {
        const levels = Math.floor((budget - 40 - field.length) / (`... on ${type} { `.length + 2));
        return `subscription { ${field} { ${`... on ${type} { `.repeat(levels)}${scalar}${' }'.repeat(levels)} } }`;
      })(),
      body: undefined,
      outcome: { kind: 'refused', codes: ['MAX_DEPTH_LIMIT'] },
    },
    {
      name: 'subscription-alias-overloading',
      description: 'thousands of aliases under the subscription field',
      query: `subscription { ${field} { ${fill(budget - field.length - 24, (index) => `a${index}: ${scalar}`)} } }`,
      body: undefined,
      outcome: { kind: 'refused', codes: ['MAX_ALIASES_LIMIT'] },
    },
  ];
  for (const shape of shapes) shape.body = post(shape.query!);
  return shapes;
}

/** What the gateway must answer: a refusal with one of these codes, or a correct answer. */
export type Outcome =
  | { kind: 'refused'; codes: string[] }
  /** A 200 whose `data` equals what the same selection, written out small, returns. */
  | { kind: 'answer'; equivalent: string }
  /** A 200 with data, or a coded refusal: the shape is legal, only its handling is tested. */
  | { kind: 'answer-or-refused'; codes: string[] };

export interface AttackShape {
  name: string;
  /** What it attacks, in a line. */
  description: string;
  /** The JSON body to POST (a batch is an array). */
  body: unknown;
  /** The GraphQL document (for counting work and for transports other than HTTP POST). */
  query?: string;
  outcome: Outcome;
}

/** Repeats `unit(i)` for i = 0, 1, … while the text stays within `budget` characters. */
function fill(budget: number, unit: (index: number) => string, separator = ' '): string {
  const parts: string[] = [];
  let length = 0;
  for (let index = 0; ; index += 1) {
    const part = unit(index);
    if (length + part.length + separator.length > budget) break;
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator);
}

/** Fragments F0 … Fn on `type`, each spreading the next twice (`wrap` turns a spread into what is used), ending in `leaf`. */
function fanOut(budget: number, type: string, leaf: string, wrap = (spread: string) => spread): string {
  const tail = (levels: number) => ` fragment F${levels} on ${type} { ${leaf} }`;
  const fragments = fill(budget - tail(99_999).length, (index) => {
    const next = `...F${index + 1}`;
    return `fragment F${index} on ${type} { ${wrap(next)} ${wrap(next)} }`;
  });
  const levels = fragments.split('fragment ').length - 1;
  return `${fragments}${tail(levels)}`;
}

const post = (query: string, extra: Record<string, unknown> = {}) => ({ query, ...extra });

/**
 * Every shape, each as large as `maxDocumentBytes` allows (a few characters of margin). The
 * outcomes are the shop gateway's with its default limits (docs/security.md).
 */
export function attackShapes(vocabulary: AttackVocabulary, maxDocumentBytes = 20_000): AttackShape[] {
  const { listField, objectType, scalars, lookup } = vocabulary;
  const lookupOf = (value: string) => `{ ${lookup.field}(${lookup.argument}: ${value}) { ${lookup.selection} } }`;
  /** A lookup answers with data (null for an unknown id) or a coded error, never a 5xx. */
  const lookupOutcome: Outcome = { kind: 'answer-or-refused', codes: ['NOT_FOUND', 'BAD_USER_INPUT'] };
  const [scalar, otherScalar] = scalars;
  const budget = maxDocumentBytes - 16;
  const shapes: AttackShape[] = [];
  const add = (shape: Omit<AttackShape, 'body'> & { body?: unknown }) =>
    shapes.push({ ...shape, body: shape.body ?? post(shape.query!) } as AttackShape);

  {
    const head = '{ ...F0 }';
    add({
      name: 'fan-out-root',
      description: 'fragments on the root type, each spreading the next twice: 2^levels root fields',
      query: `${head} ${fanOut(budget - head.length, 'Query', '__typename')}`,
      outcome: { kind: 'refused', codes: ['MAX_ROOT_FIELDS_LIMIT'] },
    });
  }
  {
    const head = `{ ${listField} { ...F0 } }`;
    add({
      name: 'fan-out-nested',
      description: 'the same fan-out under a field: 2^levels selections of one scalar',
      query: `${head} ${fanOut(budget - head.length, objectType, scalar)}`,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT'] },
    });
  }
  if (vocabulary.protectedSelection) {
    const head = lookupOf('"p-1"').replace(`{ ${lookup.selection} }`, '{ ...F0 }');
    add({
      name: 'fan-out-unauthorized',
      description: 'a fan-out ending in a field only admins may see (authorization reports each removal)',
      query: `${head} ${fanOut(budget - head.length, lookup.type, vocabulary.protectedSelection)}`,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT'] },
    });
  }
  {
    const head = `{ ${listField} { ...F0 } }`;
    add({
      name: 'fan-out-inline',
      description: 'the fan-out through inline fragments wrapping each spread',
      query: `${head} ${fanOut(budget - head.length, objectType, scalar, (spread) => `... on ${objectType} { ${spread} }`)}`,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT'] },
    });
  }
  {
    // Half the document is operations that all spread the bomb; the request names one of them.
    const operations = fill(budget / 2, (index) => `query Q${index} { ${listField} { ...F0 } }`);
    add({
      name: 'fan-out-operations',
      description: 'many operations sharing one fan-out, operationName picking one',
      query: `${operations} ${fanOut(budget - operations.length - 1, objectType, scalar)}`,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT'] },
    });
    shapes[shapes.length - 1]!.body = post(shapes[shapes.length - 1]!.query!, { operationName: 'Q1' });
  }
  {
    const head = `{ ${listField} { ...F0 } }`;
    // The last fragment spreads the first again: a cycle behind a fan-out.
    const query = `${head} ${fanOut(budget - head.length - 8, objectType, '...F0')}`;
    add({
      name: 'fan-out-into-cycle',
      description: 'a fan-out whose last fragment spreads the first (a cycle validation refuses)',
      query,
      outcome: { kind: 'refused', codes: ['MAX_RECURSIVE_SELECTIONS_LIMIT', 'GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { `;
    add({
      name: 'field-duplication',
      description: 'one field selected thousands of times (pairwise overlap checks in validation)',
      query: `${head}${fill(budget - head.length - 4, () => scalar)} } }`,
      // graphql-js 16.15 bounds its overlap checks and aborts validation past its budget.
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { `;
    add({
      name: 'field-duplication-arguments',
      description: 'one field thousands of times under differing aliases and the same response key',
      query: `${head}${fill(budget - head.length - 4, (index) => (index % 2 ? `${scalar}: ${otherScalar}` : scalar))} } }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED', 'MAX_ALIASES_LIMIT'] },
    });
  }
  {
    const head = `{ ${listField} { `;
    add({
      name: 'typename-chain',
      description: 'a long chain of __typename under one field',
      query: `${head}${fill(budget - head.length - 4, () => '__typename')} } }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  add({
    name: 'typename-chain-root',
    description: 'a long chain of __typename on the root type',
    query: `{ ${fill(budget - 4, () => '__typename')} }`,
    outcome: { kind: 'refused', codes: ['MAX_ROOT_FIELDS_LIMIT'] },
  });
  {
    const head = `{ ${listField} { ${scalar} `;
    add({
      name: 'directive-overloading',
      description: 'one field carrying thousands of @include directives',
      query: `${head}${fill(budget - head.length - 4, () => '@include(if: true)')} } }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { ${scalar} `;
    add({
      name: 'directive-overloading-unknown',
      description: 'one field carrying thousands of unknown directives',
      query: `${head}${fill(budget - head.length - 4, (index) => `@d${index}`)} } }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { `;
    add({
      name: 'alias-overloading',
      description: 'thousands of aliases of one field',
      query: `${head}${fill(budget - head.length - 4, (index) => `a${index}: ${scalar}`)} } }`,
      outcome: { kind: 'refused', codes: ['MAX_ALIASES_LIMIT'] },
    });
  }
  {
    const levels = Math.floor((budget - 20) / (`... on ${objectType} { `.length + 2));
    add({
      name: 'deep-nesting',
      description: 'inline fragments nested as deep as the size allows (recursive parsers and walks)',
      query: `{ ${listField} { ${`... on ${objectType} { `.repeat(levels)}${scalar}${' }'.repeat(levels)} } }`,
      outcome: { kind: 'refused', codes: ['MAX_DEPTH_LIMIT'] },
    });
  }
  {
    const levels = Math.floor((budget - 40) / 2);
    add({
      name: 'deep-list-value',
      description: 'a list argument nested as deep as the size allows',
      query: `{ ${listField}(x: ${'['.repeat(levels)}${']'.repeat(levels)}) { ${scalar} } }`,
      outcome: { kind: 'refused', codes: ['MAX_DEPTH_LIMIT'] },
    });
  }
  {
    // Each variable used once, so every value is coerced: `... @include(if: $vN) { __typename }`.
    const definition = (index: number) => `$v${index}: Boolean!`;
    const use = (index: number) => `... @include(if: $v${index}) { __typename }`;
    const frame = `query() { ${listField} { ${scalar} } }`.length;
    const count = fill(budget - frame, (index) => `${definition(index)} ${use(index)}`).split('$v').length / 3;
    const indexes = Array.from({ length: Math.floor(count) }, (_, index) => index);
    const query = `query(${indexes.map(definition).join(' ')}) { ${listField} { ${scalar} ${indexes.map(use).join(' ')} } }`;
    add({
      name: 'many-variables',
      description: 'hundreds of variables, each used by a directive and given a value',
      query,
      body: post(query, { variables: Object.fromEntries(indexes.map((index) => [`v${index}`, index % 2 === 0])) }),
      outcome: { kind: 'answer', equivalent: `{ ${listField} { ${scalar} __typename } }` },
    });
  }
  {
    const query = `query($s: ID!) ${lookupOf('$s')}`;
    add({
      name: 'huge-variable-value',
      description: 'a small document with an ID variable of most of the body limit',
      query,
      body: post(query, { variables: { s: 'x'.repeat(900_000) } }),
      outcome: lookupOutcome,
    });
  }
  {
    const query = `query($v: Boolean!) { __typename @include(if: $v) }`;
    const depth = 100_000;
    add({
      name: 'deep-variable-value',
      description: 'a variable value nested 100,000 arrays deep',
      query,
      // Built as text: JSON.stringify would recurse as deep.
      body: `{"query":${JSON.stringify(query)},"variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      outcome: { kind: 'refused', codes: ['BAD_USER_INPUT', 'BAD_REQUEST'] },
    });
  }
  add({
    name: 'many-variable-values',
    description: '50,000 variable values the document does not declare',
    query: '{ __typename }',
    body: post('{ __typename }', {
      variables: Object.fromEntries(Array.from({ length: 50_000 }, (_, index) => [`v${index}`, index])),
    }),
    outcome: { kind: 'answer', equivalent: '{ __typename }' },
  });
  add({
    name: 'batched-operations',
    description: 'a batch of a thousand operations in one HTTP request',
    query: '{ __typename }',
    body: Array.from({ length: 1_000 }, () => post(`{ ${listField} { ${scalar} } }`)),
    outcome: { kind: 'refused', codes: ['BAD_REQUEST'] },
  });
  add({
    name: 'many-operations',
    description: 'a document of as many named operations as fit, one of them named',
    query: fill(budget, (index) => `query O${index} { __typename }`),
    outcome: { kind: 'answer', equivalent: '{ __typename }' },
  });
  shapes[shapes.length - 1]!.body = post(shapes[shapes.length - 1]!.query!, { operationName: 'O7' });
  {
    // Names, strings and comments full of what naive code mishandles: NUL and other controls,
    // lone surrogates, right-to-left overrides, a byte-order mark, combining marks.
    const nasty = '\u0000\u0007\u001b[2J\u202e\ud800\ufeff\u0301'.repeat(1);
    const head = `{ ${listField} { ${scalar} } } # `;
    add({
      name: 'control-characters-in-comment',
      description: 'a comment filled with control characters, lone surrogates and overrides',
      query: `${head}${fill(budget - head.length, () => nasty.replace(/[\n\r]/g, ''), '')}`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_PARSE_FAILED'] },
    });
    add({
      name: 'unicode-in-names',
      description: 'field and fragment names in non-ASCII letters (not GraphQL names)',
      query: fill(budget, (index) => `{ caté${index} { ünïcödé } }`),
      outcome: { kind: 'refused', codes: ['GRAPHQL_PARSE_FAILED'] },
    });
    const escapes = fill(budget - 80, () => '\\u0000\\u202E\\uFEFF\\u0007', '');
    add({
      name: 'unicode-escapes-in-string',
      description: 'an ID argument of escaped NULs, bells, byte-order marks and overrides',
      query: lookupOf(`"${escapes}"`),
      outcome: lookupOutcome,
    });
    add({
      name: 'lone-surrogate-escape',
      description: 'an ID argument escaping a lone UTF-16 surrogate (not a Unicode scalar value)',
      query: lookupOf(`"${fill(budget - 80, () => '\\uD800', '')}"`),
      outcome: { kind: 'refused', codes: ['GRAPHQL_PARSE_FAILED'] },
    });
    const emoji = fill(budget / 2 - 80, () => '🛒', '');
    add({
      name: 'astral-characters-in-string',
      description: 'an ID argument of astral-plane characters (two UTF-16 units each)',
      query: lookupOf(`"${emoji}"`),
      outcome: lookupOutcome,
    });
  }
  {
    const head = `{ ${listField} { ...C0 } } `;
    const ring = fill(budget - head.length - 40, (index) => `fragment C${index} on ${objectType} { ...C${index + 1} }`);
    const count = ring.split('fragment ').length - 1;
    add({
      name: 'cyclic-fragments',
      description: 'a ring of fragments, each spreading the next, the last the first',
      query: `${head}${ring} fragment C${count} on ${objectType} { ...C0 }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { `;
    add({
      name: 'unknown-fragments',
      description: 'thousands of spreads of fragments that do not exist',
      query: `${head}${fill(budget - head.length - 4, (index) => `...U${index}`)} } }`,
      outcome: { kind: 'refused', codes: ['GRAPHQL_VALIDATION_FAILED'] },
    });
  }
  {
    const head = `{ ${listField} { ...L0 } } `;
    const chain = fill(budget - head.length - 60, (index) => `fragment L${index} on ${objectType} { ...L${index + 1} }`);
    const count = chain.split('fragment ').length - 1;
    add({
      name: 'fragment-chain',
      description: 'a chain of a thousand fragments, each spreading the next once',
      query: `${head}${chain} fragment L${count} on ${objectType} { ${scalar} }`,
      outcome: { kind: 'answer', equivalent: `{ ${listField} { ${scalar} } }` },
    });
  }
  for (const shape of shapes) {
    const text = typeof shape.body === 'string' ? undefined : shape.query;
    if (text && text.length > maxDocumentBytes) {
      throw new Error(`attack shape ${shape.name} is ${text.length} characters, over ${maxDocumentBytes}`);
    }
  }
  return shapes;
}
