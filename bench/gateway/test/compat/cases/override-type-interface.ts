// Ported from the federation-gateway-audit suite "override-type-interface": @override of a field
// on an entity that implements different interfaces in different subgraphs.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const imagePosts = [
  { __typename: 'ImagePost', id: 'i1', createdAt: 'i1-createdAt' },
  { __typename: 'ImagePost', id: 'i2', createdAt: 'i2-createdAt' },
];
const textPosts = [
  { __typename: 'TextPost', id: 't1', createdAt: 't1-createdAt', body: 't1-body' },
  { __typename: 'TextPost', id: 't2', createdAt: 't2-createdAt', body: 't2-body' },
];
const byId =
  <T extends { id: string }>(list: T[]) =>
  ({ id }: { id: string }) =>
    list.find((item) => item.id === id) ?? null;

export const overrideTypeInterface: CompatCase = {
  name: 'override-type-interface',
  source: `${AUDIT}/override-type-interface`,
  covers: [
    '@override',
    'interfaces implemented differently per subgraph',
    'inline fragments on absent types',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        interface Post {
          id: ID!
          createdAt: String!
        }

        type ImagePost implements Post @key(fields: "id") {
          id: ID!
          createdAt: String!
        }

        type Query {
          feed: [Post]
        }
      `,
      resolvers: {
        Query: { feed: () => imagePosts },
        // Overridden by subgraph b: a gateway that still asks subgraph a would answer "NEVER".
        ImagePost: { __resolveReference: byId(imagePosts), createdAt: () => 'NEVER' },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@override"])

        interface Post {
          id: ID!
          createdAt: String!
        }

        type TextPost implements Post @key(fields: "id") {
          id: ID!
          createdAt: String!
          body: String!
        }

        interface AnotherPost {
          id: ID!
          createdAt: String!
        }

        type ImagePost implements AnotherPost @key(fields: "id") {
          id: ID!
          createdAt: String! @override(from: "a")
        }

        type Query {
          anotherFeed: [AnotherPost]
        }
      `,
      resolvers: {
        Query: { anotherFeed: () => imagePosts },
        TextPost: { __resolveReference: byId(textPosts) },
        ImagePost: { __resolveReference: byId(imagePosts) },
      },
    },
  ],
  queries: [
    {
      query: '{ feed { id createdAt } }',
      expected: {
        data: {
          feed: [
            { id: 'i1', createdAt: 'i1-createdAt' },
            { id: 'i2', createdAt: 'i2-createdAt' },
          ],
        },
      },
    },
    { query: '{ feed { ... on TextPost { id body } } }', expected: { data: { feed: [{}, {}] } } },
    {
      query: '{ anotherFeed { createdAt } }',
      expected: { data: { anotherFeed: [{ createdAt: 'i1-createdAt' }, { createdAt: 'i2-createdAt' }] } },
    },
    {
      query: '{ anotherFeed { createdAt id ... on ImagePost { createdAt id } } }',
      expected: {
        data: {
          anotherFeed: [
            { createdAt: 'i1-createdAt', id: 'i1' },
            { createdAt: 'i2-createdAt', id: 'i2' },
          ],
        },
      },
    },
  ],
};
