// Ported from the federation-gateway-audit suite "shared-root" (the version whose fields are
// scalars): the same @shareable root fields in three subgraphs, each adding its own fields to a
// value type, so one query needs a parallel fetch to each.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const product = { id: '1', name: 'Product 1', category: 'Category 1', price: 100 };

const subgraph = (name: string, field: string, type: string) => ({
  name,
  typeDefs: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

    type Query {
      product: Product! @shareable
      products: [Product!]! @shareable
    }

    type Product {
      id: ID! @shareable
      ${field}: ${type}
    }
  `,
  resolvers: {
    Query: {
      product: () => ({ id: product.id, [field]: product[field as keyof typeof product] }),
      products: () => [{ id: product.id, [field]: product[field as keyof typeof product] }],
    },
  },
});

export const sharedRoot: CompatCase = {
  name: 'shared-root',
  source: `${AUDIT}/shared-root`,
  covers: ['@shareable root fields', 'value types (no @key) split across subgraphs', 'parallel fetches'],
  subgraphs: [
    subgraph('category', 'category', 'String!'),
    subgraph('name', 'name', 'String!'),
    subgraph('price', 'price', 'Int!'),
  ],
  queries: [
    {
      query: '{ product { id name category price } }',
      expected: { data: { product: { id: '1', name: 'Product 1', category: 'Category 1', price: 100 } } },
    },
    {
      query: '{ products { id name category price } }',
      expected: { data: { products: [{ id: '1', name: 'Product 1', category: 'Category 1', price: 100 }] } },
    },
  ],
};
