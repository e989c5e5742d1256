// Modelled on the federation-gateway-audit suite "parent-entity-call-complex": a chain of four
// subgraphs — the root field in one, the product's name from a second, its category from a
// third that @requires the name (the category's details are computed from its parent
// product), and the category's name from a fourth.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  { id: '1', name: 'Product#1', categoryId: '3' },
  { id: '2', name: 'Product#2', categoryId: '4' },
];
const categories = [
  { id: '3', name: 'Category#3' },
  { id: '4', name: 'Category#4' },
];

type Key = { id: string };
const productOf = ({ id }: Key) => products.find((product) => product.id === id) ?? null;

export const parentEntityCallComplex: CompatCase = {
  name: 'parent-entity-call-complex',
  source: `${AUDIT}/parent-entity-call-complex`,
  covers: [
    'entity call chains over four subgraphs',
    '@requires feeding a child object',
    'entities under entities',
  ],
  subgraphs: [
    {
      name: 'd',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          productFromD(id: ID!): Product
          productsFromD: [Product]
        }

        type Product @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: {
          productFromD: (_: unknown, key: Key) => (productOf(key) ? { id: key.id } : null),
          productsFromD: () => products.map(({ id }) => ({ id })),
        },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Product @key(fields: "id") {
          id: ID!
          name: String!
        }
      `,
      resolvers: { Product: { __resolveReference: productOf } },
    },
    {
      name: 'c',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

        type Product @key(fields: "id") {
          id: ID!
          name: String! @external
          category: Category @requires(fields: "name")
        }

        type Category @key(fields: "id", resolvable: false) {
          id: ID!
          details: String
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: Key & { name?: string }) => key,
          category: ({ id, name }: Key & { name?: string }) => {
            if (name === undefined) throw new Error('name was not provided');
            const product = productOf({ id });
            return product ? { id: product.categoryId, details: `Details for ${name}` } : null;
          },
        },
      },
    },
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Category @key(fields: "id") {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Category: {
          __resolveReference: ({ id }: Key) => categories.find((category) => category.id === id) ?? null,
        },
      },
    },
  ],
  queries: [
    {
      query: '{ productFromD(id: "1") { id name category { id name details } } }',
      expected: {
        data: {
          productFromD: {
            id: '1',
            name: 'Product#1',
            category: { id: '3', name: 'Category#3', details: 'Details for Product#1' },
          },
        },
      },
    },
    {
      // Ours: the chain for a list, without the product's name selected by the client.
      query: '{ productsFromD { id category { name details } } }',
      expected: {
        data: {
          productsFromD: [
            { id: '1', category: { name: 'Category#3', details: 'Details for Product#1' } },
            { id: '2', category: { name: 'Category#4', details: 'Details for Product#2' } },
          ],
        },
      },
    },
  ],
};
