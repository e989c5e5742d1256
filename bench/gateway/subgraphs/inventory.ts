import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { inStock, shippingEstimate } from './data';

export const name = 'inventory';

export const typeDefs = /* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Product @key(fields: "upc") {
    upc: String!
    weight: Int @external
    price: Int @external
    inStock: Boolean
    shippingEstimate: Int @requires(fields: "price weight")
  }
`;

interface ProductReference {
  upc: string;
  price?: number | null;
  weight?: number | null;
}

export const resolvers: GraphQLResolverMap<unknown> = {
  Product: {
    __resolveReference: (reference: ProductReference) => reference,
    inStock: ({ upc }: ProductReference) => inStock[upc] ?? null,
    shippingEstimate: ({ price, weight }: ProductReference) =>
      price == null || weight == null ? null : shippingEstimate(price, weight),
  },
};
