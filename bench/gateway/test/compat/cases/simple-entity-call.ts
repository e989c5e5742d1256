// Modelled on the federation-gateway-audit suite "simple-entity-call": the smallest entity
// call — a root field in one subgraph, a field of the same entity (keyed by a field other than
// its id) from another.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const users = [
  { id: 'u1', email: 'u1@example.com', nickname: 'u1-nickname' },
  { id: 'u2', email: 'u2@example.com', nickname: 'u2-nickname' },
];

export const simpleEntityCall: CompatCase = {
  name: 'simple-entity-call',
  source: `${AUDIT}/simple-entity-call`,
  covers: ['entity calls', 'keys other than id'],
  subgraphs: [
    {
      name: 'email',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          user: User
          users: [User]
        }

        type User @key(fields: "email") {
          id: ID!
          email: ID!
        }
      `,
      resolvers: {
        Query: {
          user: () => ({ id: users[0]!.id, email: users[0]!.email }),
          users: () => users.map(({ id, email }) => ({ id, email })),
        },
        User: {
          __resolveReference: ({ email }: { email: string }) =>
            users.find((user) => user.email === email) ?? null,
        },
      },
    },
    {
      name: 'nickname',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type User @key(fields: "email") {
          email: ID!
          nickname: String
        }
      `,
      resolvers: {
        User: {
          __resolveReference: ({ email }: { email: string }) =>
            users.find((user) => user.email === email) ?? null,
        },
      },
    },
  ],
  queries: [
    {
      query: '{ user { id nickname } }',
      expected: { data: { user: { id: 'u1', nickname: 'u1-nickname' } } },
    },
    {
      query: '{ users { nickname id } }',
      expected: {
        data: {
          users: [
            { nickname: 'u1-nickname', id: 'u1' },
            { nickname: 'u2-nickname', id: 'u2' },
          ],
        },
      },
    },
  ],
};
