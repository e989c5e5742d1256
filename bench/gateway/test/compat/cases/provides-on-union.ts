// Modelled on the federation-gateway-audit suite "provides-on-union": the same root field
// returning a union of entities in two subgraphs, one of which @provides the members' title
// (through inline fragments on the union); members' other fields come from a third subgraph.
// The audit's test file is not in our reference copy: its queries are re-created from other
// implementations' runs of the suite, and the expected data is ours, written from the data below.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const medias = [
  { __typename: 'Book', id: 'm1', title: 'Book 1', pages: 100 },
  { __typename: 'Movie', id: 'm2', title: 'Movie 1', minutes: 90 },
  { __typename: 'Book', id: 'm3', title: 'Book 2', pages: 200 },
];
type Key = { id: string };
const find =
  (typename: string) =>
  ({ id }: Key) =>
    medias.find((media) => media.id === id && media.__typename === typename) ?? null;

export const providesOnUnion: CompatCase = {
  name: 'provides-on-union',
  source: `${AUDIT}/provides-on-union`,
  covers: [
    '@provides through fragments on a union',
    '@shareable root fields',
    'entity calls for union members',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type Query {
          media: [Media] @shareable
        }

        union Media = Book | Movie

        type Book @key(fields: "id") {
          id: ID!
        }

        type Movie @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: { media: () => medias.map(({ __typename, id }) => ({ __typename, id })) },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(
            url: "https://specs.apollo.dev/federation/v2.3"
            import: ["@key", "@shareable", "@external", "@provides"]
          )

        type Query {
          media: [Media] @shareable @provides(fields: "... on Book { title } ... on Movie { title }")
        }

        union Media = Book | Movie

        type Book @key(fields: "id") {
          id: ID!
          title: String @external
        }

        type Movie @key(fields: "id") {
          id: ID!
          title: String @external
        }
      `,
      resolvers: {
        Query: { media: () => medias.map(({ __typename, id, title }) => ({ __typename, id, title })) },
      },
    },
    {
      name: 'c',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type Book @key(fields: "id") {
          id: ID!
          title: String @shareable
          pages: Int
        }

        type Movie @key(fields: "id") {
          id: ID!
          title: String @shareable
          minutes: Int
        }
      `,
      resolvers: { Book: { __resolveReference: find('Book') }, Movie: { __resolveReference: find('Movie') } },
    },
  ],
  queries: [
    {
      query: '{ media { __typename ... on Book { title } ... on Movie { title } } }',
      expected: {
        data: {
          media: [
            { __typename: 'Book', title: 'Book 1' },
            { __typename: 'Movie', title: 'Movie 1' },
            { __typename: 'Book', title: 'Book 2' },
          ],
        },
      },
    },
    {
      query: '{ media { ... on Book { id title } ... on Movie { id } } }',
      expected: {
        data: { media: [{ id: 'm1', title: 'Book 1' }, { id: 'm2' }, { id: 'm3', title: 'Book 2' }] },
      },
    },
    {
      query: '{ media { ... on Book { id title } } }',
      expected: { data: { media: [{ id: 'm1', title: 'Book 1' }, {}, { id: 'm3', title: 'Book 2' }] } },
    },
    {
      query: '{ media { ... on Book { title pages } ... on Movie { id minutes } } }',
      expected: {
        data: {
          media: [
            { title: 'Book 1', pages: 100 },
            { id: 'm2', minutes: 90 },
            { title: 'Book 2', pages: 200 },
          ],
        },
      },
    },
  ],
};
