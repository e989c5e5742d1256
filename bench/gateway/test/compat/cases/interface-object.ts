// Ours (the audit's interface-object suites are only partly available here): an entity
// interface (@key on an interface) in one subgraph, extended through @interfaceObject in another.
import { GraphQLError } from 'graphql';
import type { CompatCase } from '@cloudmart/test-kit/compat';

const media = [
  { __typename: 'Book', id: 'm1', title: 'Dune', author: 'Frank Herbert' },
  { __typename: 'Movie', id: 'm2', title: 'Alien', director: 'Ridley Scott' },
  { __typename: 'Book', id: 'm3', title: 'Solaris', author: 'Stanisław Lem' },
];
const reviewCounts: Record<string, number> = { m1: 12, m2: 7 };
const byId = ({ id }: { id: string }) => media.find((item) => item.id === id) ?? null;

export const interfaceObject: CompatCase = {
  name: 'interface-object',
  source: 'ours',
  covers: ['entity interfaces (@key on an interface)', '@interfaceObject', 'fragments on implementations'],
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          media: [Media]
          medium(id: ID!): Media
        }

        interface Media @key(fields: "id") {
          id: ID!
          title: String
        }

        type Book implements Media @key(fields: "id") {
          id: ID!
          title: String
          author: String
        }

        type Movie implements Media @key(fields: "id") {
          id: ID!
          title: String
          director: String
        }
      `,
      resolvers: {
        Query: {
          media: () => media,
          medium: (_: unknown, { id }: { id: string }) => {
            const found = byId({ id });
            if (!found) throw new GraphQLError(`no medium ${id}`, { extensions: { code: 'NOT_FOUND' } });
            return found;
          },
        },
        Media: { __resolveReference: byId, __resolveType: (item: { __typename: string }) => item.__typename },
        Book: { __resolveReference: byId },
        Movie: { __resolveReference: byId },
      },
    },
    {
      name: 'reviews',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

        type Media @key(fields: "id") @interfaceObject {
          id: ID!
          reviewCount: Int
        }

        type Query {
          mostReviewed: Media
        }
      `,
      resolvers: {
        Query: { mostReviewed: () => ({ id: 'm1' }) },
        Media: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          reviewCount: ({ id }: { id: string }) => reviewCounts[id] ?? null,
        },
      },
    },
  ],
  queries: [
    {
      query: '{ media { __typename id title reviewCount ... on Book { author } ... on Movie { director } } }',
      expected: {
        data: {
          media: [
            { __typename: 'Book', id: 'm1', title: 'Dune', reviewCount: 12, author: 'Frank Herbert' },
            { __typename: 'Movie', id: 'm2', title: 'Alien', reviewCount: 7, director: 'Ridley Scott' },
            { __typename: 'Book', id: 'm3', title: 'Solaris', reviewCount: null, author: 'Stanisław Lem' },
          ],
        },
      },
    },
    {
      query: '{ mostReviewed { __typename id title ... on Book { author } reviewCount } }',
      expected: {
        data: {
          mostReviewed: {
            __typename: 'Book',
            id: 'm1',
            title: 'Dune',
            author: 'Frank Herbert',
            reviewCount: 12,
          },
        },
      },
    },
    {
      query: 'query ($id: ID!) { medium(id: $id) { id title reviewCount } }',
      variables: { id: 'm2' },
      expected: { data: { medium: { id: 'm2', title: 'Alien', reviewCount: 7 } } },
    },
    {
      query: 'query ($id: ID!) { medium(id: $id) { id title reviewCount } }',
      variables: { id: 'missing' },
      expected: { data: { medium: null } },
    },
  ],
};
