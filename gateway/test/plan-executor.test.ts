// Our query-plan executor (src/plan-executor, PLAN_EXECUTOR): identical entity representations are
// sent once and their answers (and errors) reach every entity that asked; a stock ApolloGateway in
// the same process keeps @apollo/gateway's own executor; PLAN_EXECUTOR=false restores it for ours.
// The responses themselves are compared with stock's on many more shapes in
// bench/gateway/test/compat.
import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { buildSchema as buildGraphQLSchema, GraphQLError, parse, print } from 'graphql';
import {
  aliasFieldsRequiredWithArguments,
  restoreResponseNames,
} from '../src/plan-executor/requires-arguments';
import { compileShaping } from '../src/plan-executor/result-shaping';
import { startCase, type CompatCase, type RunningCase } from '@cloudmart/test-kit/compat';

const products = [
  { upc: 'p1', name: 'Lamp', price: 1999 },
  { upc: 'p2', name: 'Desk', price: 24900 },
  { upc: 'p3', name: 'Chair', price: 8900 },
];
// 20 reviews of three products: p1 ten times, p2 seven, p3 three.
const reviews = Array.from({ length: 20 }, (_, index) => ({
  id: `r${index + 1}`,
  upc: index < 10 ? 'p1' : index < 17 ? 'p2' : 'p3',
}));

/** Representations the products subgraph was asked to resolve, by upc. */
let asked: string[] = [];
/** When set, the products subgraph fails this product's name (an error at `_entities.i.name`). */
let failingUpc: string | undefined;

const shopCase: CompatCase = {
  name: 'plan-executor',
  source: 'ours',
  covers: ['repeated entities in one fetch', 'entity errors at repeated entities'],
  subgraphs: [
    {
      name: 'reviews',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { reviews: [Review!]! }
        type Review { id: ID! product: Product }
        type Product @key(fields: "upc", resolvable: false) { upc: ID! }
      `,
      resolvers: {
        Query: { reviews: () => reviews },
        Review: { product: (review: { upc: string }) => ({ upc: review.upc }) },
      },
    },
    {
      name: 'products',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { product(upc: ID!): Product }
        type Product @key(fields: "upc") { upc: ID! name: String price: Int }
      `,
      resolvers: {
        Query: { product: (_: unknown, { upc }: { upc: string }) => products.find((p) => p.upc === upc) },
        Product: {
          __resolveReference: ({ upc }: { upc: string }) => {
            asked.push(upc);
            return products.find((product) => product.upc === upc);
          },
          name: (product: { upc: string; name: string }) => {
            if (product.upc === failingUpc) {
              throw new GraphQLError(`${product.upc} is not available`, {
                extensions: { code: 'NOT_FOUND' },
              });
            }
            return product.name;
          },
        },
      },
    },
  ],
  queries: [],
};

const query = '{ reviews { id product { upc name price } } }';

describe('our query-plan executor', () => {
  let running: RunningCase;
  beforeAll(async () => {
    running = await startCase(shopCase);
  });
  afterAll(async () => {
    await running?.stop();
  });
  beforeEach(() => {
    asked = [];
    failingUpc = undefined;
  });

  it('sends each distinct representation once and gives every review its product, as stock does', async () => {
    const { stock, ours } = await running.both(query);
    // `both` asks stock first, then ours: split what the products subgraph was asked.
    expect(asked.slice(0, 20)).toEqual(reviews.map((review) => review.upc));
    expect(asked.slice(20)).toEqual(['p1', 'p2', 'p3']);
    expect(ours).toEqual(stock);
    const data = (ours.body as { data: { reviews: { product: { upc: string; name: string } }[] } }).data;
    expect(data.reviews).toHaveLength(20);
    expect(data.reviews[12]!.product).toEqual({ upc: 'p2', name: 'Desk', price: 24900 });
  });

  it('reports an entity error at every review of that entity, in order, as stock does', async () => {
    failingUpc = 'p3';
    const { stock, ours } = await running.both(query);
    expect(asked.slice(20)).toEqual(['p1', 'p2', 'p3']);
    expect(ours).toEqual(stock);
    const body = ours.body as {
      data: { reviews: { product: { name: string | null } }[] };
      errors: { path: unknown[] }[];
    };
    expect(body.errors.map((error) => error.path)).toEqual([
      ['reviews', 17, 'product', 'name'],
      ['reviews', 18, 'product', 'name'],
      ['reviews', 19, 'product', 'name'],
    ]);
    expect(body.data.reviews[19]!.product.name).toBeNull();
    expect(body.data.reviews[16]!.product.name).toBe('Desk');
  });
});

describe('PLAN_EXECUTOR=false', () => {
  let running: RunningCase;
  beforeAll(async () => {
    running = await startCase(shopCase, { PLAN_EXECUTOR: 'false' });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("runs @apollo/gateway's own executor: every representation is sent", async () => {
    asked = [];
    const { stock, ours } = await running.both(query);
    expect(asked).toEqual([...reviews.map((review) => review.upc), ...reviews.map((review) => review.upc)]);
    expect(ours).toEqual(stock);
  });
});

describe('compiled result shaping', () => {
  const schema = buildSchema(`
    type Query { shelf: Shelf! items(first: Int): [Item] }
    type Shelf { id: ID! label: String tags: [[String!]] }
    interface Item { id: ID! }
    type Book implements Item { id: ID! title: String! kind: Kind }
    type Pen implements Item { id: ID! colour: String }
    enum Kind { NOVEL ESSAY }
  `);
  const operation = operationFromDocument(
    schema,
    parse(`
      query Q($withTags: Boolean!) {
        __typename
        shelf { id label tags @include(if: $withTags) }
        items { __typename id ... on Book { title kind } kind: __typename ...P }
      }
      fragment P on Pen { colour }
    `),
  );
  const stock = (input: Record<string, unknown>, variables: Record<string, unknown>) =>
    computeResponse({ operation, variables, input, introspectionHandling: () => null });
  const clean = {
    shelf: { id: 's1', label: null, tags: [['a', 'b'], []], extra: 'not asked' },
    items: [
      { __typename: 'Book', id: 'b1', title: 'Dune', kind: 'NOVEL' },
      null,
      { __typename: 'Pen', id: 'p1', colour: 'red', title: 'not a book field' },
    ],
  };

  it('gives exactly what computeResponse gives on a clean answer (order, fragments, @include, __typename)', () => {
    const shaping = compileShaping(operation);
    for (const withTags of [true, false]) {
      const shaped = shaping.shape(clean, { withTags });
      expect(shaped).toBeDefined();
      expect(JSON.stringify(shaped)).toBe(JSON.stringify(stock(clean, { withTags }).data));
    }
  });

  it.each([
    ['a null in a non-null field', { ...clean, shelf: { ...clean.shelf, id: null } }],
    [
      'an enum value the schema lacks',
      { ...clean, items: [{ __typename: 'Book', id: 'b1', title: 'Dune', kind: 'POEM' }] },
    ],
    ['an Int where a String belongs', { ...clean, items: [{ __typename: 'Pen', id: 'p1', colour: 7 }] }],
    ['a __typename the schema lacks', { ...clean, items: [{ __typename: 'Secret', id: 'x' }] }],
  ])('leaves %s to computeResponse, which reports it', (_label, input) => {
    expect(compileShaping(operation).shape(input, { withTags: true })).toBeUndefined();
    expect(stock(input, { withTags: true }).errors.length).toBeGreaterThan(0);
  });
});

// The end-to-end answers are in bench/gateway/test/compat (requires-arguments-conflict).
describe('fields a @requires selects with other arguments', () => {
  const apiSchema = buildGraphQLSchema(`
    type Query { threads: [Thread] }
    type Thread { id: ID! replies(first: Int!): [Reply] openingAuthors: String }
    type Reply { id: ID! author: String }
  `);
  const required = new Set(['Thread.replies']);

  it('get one alias per response name, in fragments too, so that what merged still merges', () => {
    const aliased = aliasFieldsRequiredWithArguments(
      apiSchema,
      parse(`
        { threads { ...A replies(first: 1) { id } } }
        fragment A on Thread { replies(first: 1) { author } }
      `),
      required,
    );
    expect(print(aliased!.document)).toContain('_requiresArgs_replies: replies(first: 1) {\n    author');
    expect([...aliased!.responseNames]).toEqual([['_requiresArgs_replies', 'replies']]);
  });

  it('leave operations without such a field, or already using our prefix, untouched', () => {
    expect(
      aliasFieldsRequiredWithArguments(apiSchema, parse('{ threads { id openingAuthors } }'), required),
    ).toBeUndefined();
    expect(
      aliasFieldsRequiredWithArguments(
        apiSchema,
        parse('{ threads { _requiresArgs_x: id replies(first: 1) { id } } }'),
        required,
      ),
    ).toBeUndefined();
  });

  it("give the response, its errors and value-completion errors their names back, in the client's order", () => {
    const aliased = aliasFieldsRequiredWithArguments(
      apiSchema,
      parse('{ threads { replies(first: 1) { id } id } }'),
      required,
    )!;
    const restored = restoreResponseNames(
      {
        data: { threads: [{ _requiresArgs_replies: [{ id: 'r1' }], id: 't1' }] },
        errors: [new GraphQLError('boom', { path: ['threads', 0, '_requiresArgs_replies', 0, 'id'] })],
        extensions: {
          valueCompletion: [new GraphQLError('null', { path: ['threads', 0, '_requiresArgs_replies'] })],
        },
      },
      aliased,
    );
    expect(JSON.stringify(restored.data)).toBe('{"threads":[{"replies":[{"id":"r1"}],"id":"t1"}]}');
    expect(restored.errors![0]!.path).toEqual(['threads', 0, 'replies', 0, 'id']);
    expect((restored.extensions!.valueCompletion as GraphQLError[])[0]!.path).toEqual([
      'threads',
      0,
      'replies',
    ]);
  });
});
