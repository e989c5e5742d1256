// Modelled on the federation-gateway-audit suite "include-skip": @include/@skip with variables
// (defaults and given values) and literals on fields at the end of a chain of @requires over
// three subgraphs (price → isExpensive → include/skip); a field whose condition leaves it out
// must not be resolved (its resolver throws).
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const product = { id: 'p1', price: 699.99 };

type Priced = { id: string; price?: number };
type Rated = { id: string; isExpensive?: boolean };
const needsRating = (entity: Rated) => {
  if (typeof entity.isExpensive !== 'boolean') throw new Error('isExpensive was not provided');
  return true;
};
const never = (field: string) => () => {
  throw new Error(`${field} should never be called`);
};

export const includeSkip: CompatCase = {
  name: 'include-skip',
  source: `${AUDIT}/include-skip`,
  covers: ['@include/@skip with variables and literals', 'conditional entity fetches', 'chains of @requires'],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          product: Product
        }

        type Product @key(fields: "id") {
          id: ID!
          price: Float!
        }
      `,
      resolvers: {
        Query: { product: () => product },
        Product: { __resolveReference: ({ id }: { id: string }) => (id === product.id ? product : null) },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

        type Product @key(fields: "id") {
          id: ID!
          price: Float! @external
          isExpensive: Boolean! @requires(fields: "price")
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: Priced) => key,
          isExpensive: (entity: Priced) => {
            if (typeof entity.price !== 'number') throw new Error('price was not provided');
            return entity.price > 500;
          },
        },
      },
    },
    {
      name: 'c',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

        type Product @key(fields: "id") {
          id: ID!
          isExpensive: Boolean! @external
          include: Boolean! @requires(fields: "isExpensive")
          skip: Boolean! @requires(fields: "isExpensive")
          neverCalledInclude: Boolean @requires(fields: "isExpensive")
          neverCalledSkip: Boolean @requires(fields: "isExpensive")
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: Rated) => key,
          include: needsRating,
          skip: needsRating,
          neverCalledInclude: never('neverCalledInclude'),
          neverCalledSkip: never('neverCalledSkip'),
        },
      },
    },
  ],
  queries: [
    {
      query: 'query ($bool: Boolean = false) { product { price neverCalledInclude @include(if: $bool) } }',
      expected: { data: { product: { price: 699.99 } } },
    },
    {
      query: 'query ($bool: Boolean = true) { product { price neverCalledSkip @skip(if: $bool) } }',
      expected: { data: { product: { price: 699.99 } } },
    },
    {
      query: 'query ($bool: Boolean = true) { product { price include @include(if: $bool) } }',
      expected: { data: { product: { price: 699.99, include: true } } },
    },
    {
      query: 'query ($bool: Boolean = false) { product { price skip @skip(if: $bool) } }',
      expected: { data: { product: { price: 699.99, skip: true } } },
    },
    {
      // Ours: the variable given, overriding the default, and literals beside it.
      query: `
        query ($bool: Boolean = true) {
          product {
            price
            include @include(if: $bool)
            skip @skip(if: $bool)
            neverCalledInclude @include(if: false)
            neverCalledSkip @skip(if: true)
            alsoInclude: include @include(if: true)
          }
        }
      `,
      variables: { bool: false },
      expected: { data: { product: { price: 699.99, skip: true, alsoInclude: true } } },
    },
    {
      // Ours: @include/@skip on an inline fragment and on the entity's parent field.
      query: `
        query ($with: Boolean!, $without: Boolean!) {
          product {
            id
            ... @include(if: $with) { include }
            ... @skip(if: $without) { skip isExpensive }
          }
          again: product @include(if: $without) { id }
        }
      `,
      variables: { with: true, without: false },
      expected: { data: { product: { id: 'p1', include: true, skip: true, isExpensive: true } } },
    },
  ],
};
