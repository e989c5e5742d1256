import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { users } from './data';

export const name = 'accounts';

export const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Query {
    me: User
    user(id: ID!): User
    users: [User]
  }

  type User @key(fields: "id") {
    id: ID!
    name: String
    username: String @shareable
    birthday: Int
  }
`;

const byId = new Map(users.map((user) => [user.id, user]));

export const resolvers: GraphQLResolverMap<unknown> = {
  Query: {
    me: () => users[0],
    user: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
    users: () => users,
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
  },
};
