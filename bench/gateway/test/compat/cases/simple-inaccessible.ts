// Modelled on the federation-gateway-audit suite "simple-inaccessible": an @inaccessible enum
// value and an @inaccessible argument. Queries that avoid them work across subgraphs; using the
// hidden argument is a validation error; a subgraph answering with the hidden enum value gives
// null for that field (with an error) rather than leaking it.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const users = [
  { id: 'u1', age: 11, friends: ['u2'] },
  { id: 'u2', age: 22, friends: ['u1'] },
];

type Key = { id: string };

export const simpleInaccessible: CompatCase = {
  name: 'simple-inaccessible',
  source: `${AUDIT}/simple-inaccessible`,
  covers: ['@inaccessible enum values and arguments', 'enum values outside the API schema'],
  subgraphs: [
    {
      name: 'age',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          usersInAge: [User!]!
        }

        type User @key(fields: "id") {
          id: ID!
          age: Int
        }
      `,
      resolvers: {
        Query: { usersInAge: () => users },
        User: { __resolveReference: ({ id }: Key) => users.find((user) => user.id === id) ?? null },
      },
    },
    {
      name: 'friends',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])

        type Query {
          usersInFriends: [User!]!
        }

        type User @key(fields: "id") {
          id: ID!
          friends(type: FriendType = FAMILY @inaccessible): [User!]!
          type: FriendType
        }

        enum FriendType {
          FAMILY @inaccessible
          FRIEND
        }
      `,
      resolvers: {
        Query: { usersInFriends: () => users },
        User: {
          __resolveReference: ({ id }: Key) => users.find((user) => user.id === id) ?? null,
          friends: (user: (typeof users)[number]) =>
            user.friends.map((id) => users.find((candidate) => candidate.id === id)),
          type: () => 'FAMILY',
        },
      },
    },
  ],
  queries: [
    {
      query: '{ usersInAge { id friends { id } } }',
      expected: {
        data: {
          usersInAge: [
            { id: 'u1', friends: [{ id: 'u2' }] },
            { id: 'u2', friends: [{ id: 'u1' }] },
          ],
        },
      },
    },
    {
      query: '{ usersInFriends { id age friends { id age } } }',
      expected: {
        data: {
          usersInFriends: [
            { id: 'u1', age: 11, friends: [{ id: 'u2', age: 22 }] },
            { id: 'u2', age: 22, friends: [{ id: 'u1', age: 11 }] },
          ],
        },
      },
    },
    // The audit expects only "errors"; the data is absent (a validation error).
    { query: '{ usersInFriends { id friends(type: FRIEND) { id } } }' },
    {
      query: '{ usersInFriends { id friends { id type } } }',
      expected: {
        data: {
          usersInFriends: [
            { id: 'u1', friends: [{ id: 'u2', type: null }] },
            { id: 'u2', friends: [{ id: 'u1', type: null }] },
          ],
        },
      },
    },
  ],
};
