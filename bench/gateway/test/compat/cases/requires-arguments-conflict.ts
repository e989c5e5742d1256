// Ours, for federation-gateway-audit "requires-with-argument" #2–#4: a @requires that selects a
// field with arguments (`replies(first: 2) { author }`) while the client selects the same field
// with others (`replies(first: 1)`), directly, through a variable and through two fragments.
// Stock @apollo/gateway's planner merges the two by response name and answers the client with
// the @requires' arguments (two replies where one was asked for); ours aliases the client's field
// before planning (gateway/src/plan-executor/requires-arguments.ts). Where stock is wrong the
// answer is written out by hand.
import type { CompatCase } from '@cloudmart/test-kit/compat';

const threads = [{ id: 't1' }, { id: 't2' }];
const replies = [
  { id: 'r1', threadId: 't1', author: 'ines' },
  { id: 'r2', threadId: 't1', author: 'oskar' },
  { id: 'r3', threadId: 't1', author: 'mara' },
  { id: 'r4', threadId: 't2', author: 'tomas' },
  { id: 'r5', threadId: 't2', author: 'lea' },
];
const STOCK_MERGES = 'stock merges the client field into the @requires one (requires-with-argument)';

export const requiresArgumentsConflict: CompatCase = {
  name: 'requires-arguments-conflict',
  source: 'ours',
  covers: ['@requires with field arguments', 'the client selecting the required field with other arguments'],
  subgraphs: [
    {
      name: 'forum',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          threads: [Thread!]!
        }

        type Thread @key(fields: "id") {
          id: ID!
        }

        type Reply @key(fields: "id") {
          id: ID!
          author: String!
        }
      `,
      resolvers: {
        Query: { threads: () => threads },
        Reply: {
          __resolveReference: ({ id }: { id: string }) => replies.find((reply) => reply.id === id) ?? null,
        },
      },
    },
    {
      name: 'digest',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

        type Thread @key(fields: "id") {
          id: ID!
          replies(first: Int!): [Reply!]!
          openingAuthors: String! @requires(fields: "replies(first: 2) { author }")
        }

        type Reply @key(fields: "id") {
          id: ID!
          author: String! @external
        }
      `,
      resolvers: {
        Thread: {
          __resolveReference: (thread: { id: string; replies?: { author: string }[] }) => thread,
          replies: ({ id }: { id: string }, { first }: { first: number }) =>
            replies
              .filter((reply) => reply.threadId === id)
              .slice(0, first)
              .map((reply) => ({ id: reply.id })),
          openingAuthors: ({ replies: required }: { replies?: { author: string }[] }) => {
            // Exactly the two the @requires asks for, or the plan is wrong.
            if (required?.length !== 2)
              throw new Error(`expected 2 required replies, got ${required?.length}`);
            return required.map((reply) => reply.author).join(' & ');
          },
        },
      },
    },
  ],
  queries: [
    {
      // No conflict: stock is right.
      query: '{ threads { id openingAuthors } }',
      expected: {
        data: {
          threads: [
            { id: 't1', openingAuthors: 'ines & oskar' },
            { id: 't2', openingAuthors: 'tomas & lea' },
          ],
        },
      },
    },
    {
      // The client's field under an alias of its own: no conflict either, stock is right.
      query: '{ threads { openingAuthors first: replies(first: 1) { id } } }',
      expected: {
        data: {
          threads: [
            { openingAuthors: 'ines & oskar', first: [{ id: 'r1' }] },
            { openingAuthors: 'tomas & lea', first: [{ id: 'r4' }] },
          ],
        },
      },
    },
    {
      query: '{ threads { openingAuthors replies(first: 1) { id } } }',
      stockWrong: STOCK_MERGES,
      expected: {
        data: {
          threads: [
            { openingAuthors: 'ines & oskar', replies: [{ id: 'r1' }] },
            { openingAuthors: 'tomas & lea', replies: [{ id: 'r4' }] },
          ],
        },
      },
    },
    {
      // More than the @requires asks for, the author from the other subgraph, through a variable.
      query: 'query ($first: Int!) { threads { replies(first: $first) { id author } openingAuthors } }',
      variables: { first: 3 },
      stockWrong: STOCK_MERGES,
      expected: {
        data: {
          threads: [
            {
              replies: [
                { id: 'r1', author: 'ines' },
                { id: 'r2', author: 'oskar' },
                { id: 'r3', author: 'mara' },
              ],
              openingAuthors: 'ines & oskar',
            },
            {
              replies: [
                { id: 'r4', author: 'tomas' },
                { id: 'r5', author: 'lea' },
              ],
              openingAuthors: 'tomas & lea',
            },
          ],
        },
      },
    },
    {
      // Two fragments selecting the field, with a variable's default value.
      query: `
        query ($first: Int = 1) { threads { ...Ids openingAuthors ...Authors } }
        fragment Ids on Thread { replies(first: $first) { id } }
        fragment Authors on Thread { replies(first: $first) { author } }
      `,
      stockWrong: STOCK_MERGES,
      expected: {
        data: {
          threads: [
            { replies: [{ id: 'r1', author: 'ines' }], openingAuthors: 'ines & oskar' },
            { replies: [{ id: 'r4', author: 'tomas' }], openingAuthors: 'tomas & lea' },
          ],
        },
      },
    },
  ],
};
