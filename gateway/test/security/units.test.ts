// The security modules' arithmetic on small inputs: token buckets, operation measures, cost
// estimates, and how removed fields read in the response.
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { nullRemovedFields } from '../../src/security/authorization';
import { CostEstimator } from '../../src/security/demand-control';
import { readSupergraphDirectives } from '../../src/security/directives';
import { measureOperation } from '../../src/security/limits';
import { TokenBuckets } from '@cloudmart/runtime';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@cloudmart/runtime';
import { makeTempDir } from '@cloudmart/test-kit';
import { PartnerDirectory, registerPartner } from '../../src/security/partners';
import { sha256Hex } from '../../src/security/persisted-queries';

const split = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { operation, fragments };
};

describe('TokenBuckets', () => {
  it('allows a burst, then one request per refill, and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 0.5, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([null, null, null]);
    expect(buckets.take('a')).toBe(2); // one token every 2 s
    expect(buckets.take('b')).toBeNull(); // keys do not share a bucket
    now += 2_000;
    expect(buckets.take('a')).toBeNull();
    expect(buckets.take('a')).toBe(2);
    now += 60_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([
      null,
      null,
      null,
      2,
    ]);
  });
});

describe('measureOperation', () => {
  it('measures depth, aliases and root fields through fragments, counting each use', () => {
    const { operation, fragments } = split(`
      query { a: x { y { z } } b: x { ...F } w }
      fragment F on X { y { k: z } ... on X { m: z } }`);
    // Selections: a, y, z, b, ...F (and F: y, z, inline, z), w.
    expect(measureOperation(operation, fragments)).toEqual({ depth: 3, aliases: 4, rootFields: 3, recursiveSelections: 10 });
  });

  it('measures a fragment bomb without expanding it', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on X { a: z }` : `fragment F${i} on X { ...F${i + 1} ...F${i + 1} }`,
    );
    const { operation, fragments: parsed } = split(`query { x { ...F0 } } ${fragments.join(' ')}`);
    expect(measureOperation(operation, parsed).aliases).toBe(2 ** (levels - 1));
  });
});

describe('CostEstimator', () => {
  const sdl = `
    directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
    directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
    type Query {
      items(first: Int = 5): ItemConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
      tags: [String!]!
      heavy: Item @cost(weight: 50)
      guess: [Item!]! @listSize(assumedSize: 7)
    }
    type Mutation { touch: Item }
    type ItemConnection { edges: [Edge!]! }
    type Edge { node: Item! }
    type Item { id: ID! related: [Item!]! }
  `;
  const schema = buildSchema(sdl);
  const estimator = new CostEstimator(readSupergraphDirectives(sdl), { maxCost: 100, defaultListSize: 10 });
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const { operation, fragments } = split(query);
    return estimator.estimate(schema, operation, fragments, variables);
  };

  it('follows the IBM/Apollo rules', () => {
    expect(cost('{ tags }')).toBe(0); // scalars are free
    expect(cost('{ heavy { id } }')).toBe(50); // @cost on the field
    expect(cost('{ guess { id } }')).toBe(7); // assumedSize × 1
    expect(cost('{ items { edges { node { id } } } }')).toBe(1 + 5 * 2); // default of the slicing argument
    expect(cost('query($n: Int) { items(first: $n) { edges { node { related { id } } } } }', { n: 3 })).toBe(
      1 + 3 * (1 + 1 + 10 * 1),
    );
    expect(cost('mutation { touch { id } }')).toBe(10);
  });

  it('refuses above the ceiling with the Router’s code', () => {
    expect(estimator.check(100)).toBeUndefined();
    expect(estimator.check(101)?.extensions.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
  });
});

describe('nullRemovedFields', () => {
  it('nulls a removed nullable field, and the nearest nullable parent of a removed non-null one, in lists too', () => {
    const data = { a: { b: 1 }, list: [{ keep: 1 }, { keep: 2 }], strict: { inner: { x: 1 } } };
    const result = nullRemovedFields(data, [
      { path: ['a', 'c'], nullable: [true, true] },
      { path: ['list', 'secret'], nullable: [false, true] },
      { path: ['strict', 'inner', 'must'], nullable: [true, false, false] },
    ]);
    expect(result).toEqual({
      a: { b: 1, c: null },
      list: [
        { keep: 1, secret: null },
        { keep: 2, secret: null },
      ],
      strict: null,
    });
    expect(nullRemovedFields({ root: 1 }, [{ path: ['gone'], nullable: [false] }])).toBeNull();
    expect(nullRemovedFields(null, [{ path: ['gone'], nullable: [true] }])).toBeNull();
  });
});

describe('partners store', () => {
  const temp = makeTempDir('partners-store');
  afterAll(() => temp.remove());

  it('keeps a manifest beside the partners file relative to it, so the folder can be mounted anywhere', () => {
    const source = path.join(temp.dir, 'source');
    mkdirSync(source);
    const body = 'query Mounted { categories { id } }';
    writeFileSync(
      path.join(source, 'acme.json'),
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256Hex(body), name: 'Mounted', type: 'query', body }] }),
    );
    const config = { NODE_ENV: 'test', DATA_DIR: temp.dir, PARTNERS_FILE: path.join(source, 'partners.json') };
    const { key, record } = registerPartner(config, 'acme', path.join(source, 'acme.json'));
    expect(record.manifest).toBe('acme.json');
    // The folder as a deployment mounts it, somewhere else entirely.
    const mounted = path.join(temp.dir, 'etc', 'cloudmart', 'partners');
    cpSync(source, mounted, { recursive: true });
    const directory = new PartnerDirectory(
      { ...config, PARTNERS_FILE: path.join(mounted, 'partners.json') },
      createLogger('test', 'silent'),
    );
    try {
      const partner = directory.find(key);
      expect(partner?.manifest.file).toBe(path.join(mounted, 'acme.json'));
      expect(partner?.manifest.get(sha256Hex(body))).toBe(body);
    } finally {
      directory.close();
    }
  });
});
