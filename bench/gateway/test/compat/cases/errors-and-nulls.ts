// Ours: subgraph errors and null propagation across subgraphs — a nullable field that fails in
// one item of a list, a non-null field that fails (nulls its nearest nullable parent), an entity
// the owning subgraph cannot find, a coded error, and a partial response from two root fields.
import { GraphQLError } from 'graphql';
import type { CompatCase } from '@cloudmart/test-kit/compat';

const users = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Alan' },
  { id: 'u3', name: 'Grace' },
];

export const errorsAndNulls: CompatCase = {
  name: 'errors-and-nulls',
  source: 'ours',
  covers: [
    'subgraph errors with paths',
    'null propagation through non-null fields',
    'missing entities',
    'partial data',
  ],
  subgraphs: [
    {
      name: 'accounts',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          users: [User]
          user(id: ID!): User
          broken: String
        }

        type User @key(fields: "id") {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Query: {
          // u4 does not exist in accounts: the orders subgraph will still be asked about it.
          users: () => [...users, { id: 'u4', name: null }],
          user: (_: unknown, { id }: { id: string }) => {
            const user = users.find((candidate) => candidate.id === id);
            if (!user) throw new GraphQLError(`user ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
            return user;
          },
          broken: () => {
            throw new GraphQLError('the accounts store is down', {
              extensions: { code: 'SERVICE_UNAVAILABLE' },
            });
          },
        },
        User: {
          __resolveReference: ({ id }: { id: string }) => users.find((user) => user.id === id) ?? null,
        },
      },
    },
    {
      name: 'orders',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type User @key(fields: "id") {
          id: ID!
          orderCount: Int
          lastOrder: Order
        }

        type Order {
          id: ID!
          total: Int!
        }

        type Query {
          ordersOf(userId: ID!): [Order!]
        }
      `,
      resolvers: {
        User: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          orderCount: ({ id }: { id: string }) => {
            if (id === 'u2') throw new Error('order count unavailable for u2');
            return id === 'u4' ? 0 : Number(id.slice(1)) * 2;
          },
          lastOrder: ({ id }: { id: string }) => ({ id: `o-${id}`, total: id === 'u3' ? null : 1_999 }),
        },
        Query: {
          ordersOf: (_: unknown, { userId }: { userId: string }) => [
            { id: `o1-${userId}`, total: 500 },
            { id: `o2-${userId}`, total: null },
          ],
        },
      },
    },
  ],
  queries: [
    {
      query: '{ users { id name orderCount } }',
      expected: {
        data: {
          users: [
            { id: 'u1', name: 'Ada', orderCount: 2 },
            { id: 'u2', name: 'Alan', orderCount: null },
            { id: 'u3', name: 'Grace', orderCount: 6 },
            { id: 'u4', name: null, orderCount: 0 },
          ],
        },
      },
    },
    {
      query: '{ users { id lastOrder { id total } } }',
      expected: {
        data: {
          users: [
            { id: 'u1', lastOrder: { id: 'o-u1', total: 1999 } },
            { id: 'u2', lastOrder: { id: 'o-u2', total: 1999 } },
            { id: 'u3', lastOrder: null },
            { id: 'u4', lastOrder: { id: 'o-u4', total: 1999 } },
          ],
        },
      },
    },
    { query: '{ user(id: "u9") { id orderCount } }', expected: { data: { user: null } } },
    {
      query: '{ user(id: "u1") { id name orderCount } broken }',
      expected: { data: { user: { id: 'u1', name: 'Ada', orderCount: 2 }, broken: null } },
    },
    { query: '{ ordersOf(userId: "u1") { id total } }', expected: { data: { ordersOf: null } } },
  ],
};
