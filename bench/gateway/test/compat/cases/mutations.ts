// Modelled on the federation-gateway-audit suite "mutations": a mutation whose result needs an
// entity call with @requires, root mutation fields from two subgraphs that must run one after
// the other in document order (each sees the previous one's effect on shared state), and a
// @shareable mutation field. The running number is kept per request id and removed by the last
// field, so the same document gives the same answer every time it runs alone; run at once, the
// copies would interleave, so it is not sent concurrently.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = new Map([
  ['p1', { id: 'p1', name: 'p1-name', price: 9.99 }],
  ['p2', { id: 'p2', name: 'p2-name', price: 19.99 }],
]);
let added = 0;
const numbers = new Map<string, number>();
const categories = new Map<string, { id: string; name: string }>();

type Key = { id: string };
type Args = { requestId: string };
const addCategory = (_: unknown, { name, requestId }: Args & { name: string }) => {
  const category = { id: `c-added-${requestId}`, name };
  categories.set(category.id, category);
  return category;
};

export const mutations: CompatCase = {
  name: 'mutations',
  source: `${AUDIT}/mutations`,
  covers: [
    'mutations across subgraphs',
    'serial execution of root mutation fields',
    '@requires after a mutation',
    '@shareable mutation fields',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type Mutation {
          addProduct(input: AddProductInput!): Product!
          addCategory(name: String!, requestId: String!): Category! @shareable
          multiply(by: Int!, requestId: String!): Int!
        }

        type Query {
          product(id: ID!): Product!
        }

        input AddProductInput {
          name: String!
          price: Float!
        }

        type Product @key(fields: "id") {
          id: ID!
          name: String!
          price: Float!
        }

        type Category @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: { product: (_: unknown, { id }: Key) => products.get(id) ?? null },
        Mutation: {
          addProduct: (_: unknown, { input }: { input: { name: string; price: number } }) => {
            added += 1;
            const product = { id: `p-added-${added}`, ...input };
            products.set(product.id, product);
            return product;
          },
          addCategory,
          multiply: (_: unknown, { by, requestId }: Args & { by: number }) => {
            const result = (numbers.get(requestId) ?? 0) * by;
            numbers.set(requestId, result);
            return result;
          },
        },
        Product: { __resolveReference: ({ id }: Key) => products.get(id) ?? null },
        Category: { __resolveReference: ({ id }: Key) => (categories.has(id) ? { id } : null) },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(
            url: "https://specs.apollo.dev/federation/v2.3"
            import: ["@key", "@external", "@requires", "@shareable"]
          )

        type Product @key(fields: "id") {
          id: ID!
          price: Float! @external
          isExpensive: Boolean! @requires(fields: "price")
          isAvailable: Boolean!
        }

        type Mutation {
          add(num: Int!, requestId: String!): Int!
          delete(requestId: String!): Int!
          addCategory(name: String!, requestId: String!): Category! @shareable
        }

        type Category @key(fields: "id") {
          id: ID!
          name: String!
        }
      `,
      resolvers: {
        Mutation: {
          add: (_: unknown, { num, requestId }: Args & { num: number }) => {
            const result = (numbers.get(requestId) ?? 0) + num;
            numbers.set(requestId, result);
            return result;
          },
          delete: (_: unknown, { requestId }: Args) => {
            const result = numbers.get(requestId) ?? 0;
            numbers.delete(requestId);
            return result;
          },
          addCategory,
        },
        Product: {
          __resolveReference: (key: Key & { price?: number }) =>
            products.has(key.id) ? { ...key, isAvailable: true } : null,
          isExpensive: ({ price }: { price?: number }) => {
            if (typeof price !== 'number') throw new Error('price was not provided');
            return price > 100;
          },
        },
        Category: { __resolveReference: ({ id }: Key) => categories.get(id) ?? null },
      },
    },
  ],
  queries: [
    {
      query:
        'mutation { addProduct(input: { name: "new", price: 599.99 }) { name price isExpensive isAvailable } }',
      expected: {
        data: { addProduct: { name: 'new', price: 599.99, isExpensive: true, isAvailable: true } },
      },
    },
    {
      query: '{ product(id: "p1") { id name price isExpensive isAvailable } }',
      expected: {
        data: { product: { id: 'p1', name: 'p1-name', price: 9.99, isExpensive: false, isAvailable: true } },
      },
    },
    {
      query: `
        mutation ($requestId: String!) {
          five: add(num: 5, requestId: $requestId)
          ten: multiply(by: 2, requestId: $requestId)
          twelve: add(num: 2, requestId: $requestId)
          final: delete(requestId: $requestId)
        }
      `,
      variables: { requestId: 'serial' },
      expected: { data: { five: 5, ten: 10, twelve: 12, final: 12 } },
      concurrent: false,
    },
    {
      query: 'mutation { addCategory(name: "new", requestId: "r1") { id name } }',
      expected: { data: { addCategory: { id: 'c-added-r1', name: 'new' } } },
    },
    {
      // Ours: __typename on the Mutation root, beside fields of both subgraphs.
      query: `
        mutation {
          root: __typename
          category: addCategory(name: "other", requestId: "r2") { __typename id name }
          __typename
        }
      `,
      expected: {
        data: {
          root: 'Mutation',
          category: { __typename: 'Category', id: 'c-added-r2', name: 'other' },
          __typename: 'Mutation',
        },
      },
    },
  ],
};
