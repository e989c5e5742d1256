import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { products, TOP_PRODUCTS_DEFAULT } from './data';

export const name = 'products';

export const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    topProducts(first: Int = ${TOP_PRODUCTS_DEFAULT}): [Product]
  }

  type Product @key(fields: "upc") {
    upc: String!
    name: String
    price: Int
    weight: Int
  }
`;

const byUpc = new Map(products.map((product) => [product.upc, product]));

export const resolvers: GraphQLResolverMap<unknown> = {
  Query: {
    topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
  },
  Product: {
    __resolveReference: ({ upc }: { upc: string }) => byUpc.get(upc) ?? null,
  },
};
