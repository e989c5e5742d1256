// Modelled on the federation-gateway-audit suite "typename": __typename (plain and aliased,
// several times, inside inline fragments) on a union, on an interface and on an entity
// interface whose fields come partly from an @interfaceObject subgraph (which only knows the
// interface, so the concrete type must come from the owning subgraph).
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const oven = { __typename: 'Oven', id: '1', warranty: 2 };
const toaster = { __typename: 'Toaster', id: '2', warranty: 3 };
const admins = [
  { __typename: 'Admin', id: 'u1', name: 'Ada' },
  { __typename: 'Admin', id: 'u2', name: 'Alan' },
];

type Key = { id: string };

export const typename: CompatCase = {
  name: 'typename',
  source: `${AUDIT}/typename`,
  covers: [
    '__typename on unions and interfaces',
    'aliased __typename',
    '@interfaceObject',
    'entity interfaces',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          union: Product
          interface: Node
          users: [User]
        }

        union Product = Oven | Toaster

        interface Node {
          id: ID!
        }

        type Oven implements Node @key(fields: "id") {
          id: ID!
          warranty: Int
        }

        type Toaster implements Node @key(fields: "id") {
          id: ID!
          warranty: Int
        }

        interface User @key(fields: "id") {
          id: ID!
        }

        type Admin implements User @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: { union: () => oven, interface: () => toaster, users: () => admins },
        Oven: { __resolveReference: ({ id }: Key) => (id === oven.id ? oven : null) },
        Toaster: { __resolveReference: ({ id }: Key) => (id === toaster.id ? toaster : null) },
        User: { __resolveReference: ({ id }: Key) => admins.find((admin) => admin.id === id) ?? null },
        Admin: { __resolveReference: ({ id }: Key) => admins.find((admin) => admin.id === id) ?? null },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

        type User @key(fields: "id") @interfaceObject {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        User: {
          __resolveReference: ({ id }: Key) => {
            const admin = admins.find((candidate) => candidate.id === id);
            return admin ? { id, name: admin.name } : null;
          },
        },
      },
    },
  ],
  queries: [
    {
      query: '{ union { __typename typename: __typename } }',
      expected: { data: { union: { __typename: 'Oven', typename: 'Oven' } } },
    },
    {
      query: '{ interface { id __typename typename: __typename t: __typename } }',
      expected: {
        data: { interface: { id: '2', __typename: 'Toaster', typename: 'Toaster', t: 'Toaster' } },
      },
    },
    {
      query:
        '{ union { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }',
      expected: { data: { union: { __typename: 'Oven', typename: 'Oven' } } },
    },
    {
      query:
        '{ interface { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }',
      expected: { data: { interface: { __typename: 'Toaster', typename: 'Toaster' } } },
    },
    { query: '{ users { id } }', expected: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } } },
    {
      query: '{ users { __typename } }',
      expected: { data: { users: [{ __typename: 'Admin' }, { __typename: 'Admin' }] } },
    },
    {
      // Ours: the @interfaceObject subgraph answers __typename "User" for the interface; the
      // response must still say Admin.
      query: '{ users { name kind: __typename ... on Admin { id t: __typename } } }',
      expected: {
        data: {
          users: [
            { name: 'Ada', kind: 'Admin', id: 'u1', t: 'Admin' },
            { name: 'Alan', kind: 'Admin', id: 'u2', t: 'Admin' },
          ],
        },
      },
    },
  ],
};
