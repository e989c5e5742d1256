// Modelled on the federation-gateway-audit suite "union-interface-distributed": a type that
// implements interfaces (Node, WithWarranty) in one subgraph but not in the other that owns
// the root fields, so fragments on those interfaces must be answered per concrete type; and a
// subgraph answering an interface field with a type that does not implement it there.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  { __typename: 'Oven', id: 'oven1', warranty: 1 },
  { __typename: 'Oven', id: 'oven2', warranty: 1 },
  { __typename: 'Toaster', id: 'toaster1', warranty: 3 },
  { __typename: 'Toaster', id: 'toaster2', warranty: 4 },
];
const toasters = products.filter((product) => product.__typename === 'Toaster');
type Key = { id: string };
const find =
  (typename: string) =>
  ({ id }: Key) =>
    products.find((product) => product.id === id && product.__typename === typename) ?? null;

export const unionInterfaceDistributed: CompatCase = {
  name: 'union-interface-distributed',
  source: `${AUDIT}/union-interface-distributed`,
  covers: [
    'interfaces implemented in some subgraphs only',
    'fragments on interfaces inside fragments on interfaces',
    'named fragments on a type and an interface',
    "a subgraph answering a type outside the field's type there",
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          products: [Product]
          node(id: ID!): Node
          nodes: [Node]
          toasters: [Toaster]
        }

        union Product = Oven | Toaster

        interface Node {
          id: ID!
        }

        interface WithWarranty {
          warranty: Int
        }

        type Oven @key(fields: "id") {
          id: ID!
        }

        type Toaster implements Node & WithWarranty @key(fields: "id") {
          id: ID!
          warranty: Int
        }
      `,
      resolvers: {
        Query: {
          products: () => products,
          // An Oven, which does not implement Node in this subgraph, for oven ids.
          node: (_: unknown, { id }: Key) => products.find((product) => product.id === id) ?? null,
          nodes: () => toasters,
          toasters: () => toasters,
        },
        Oven: { __resolveReference: find('Oven') },
        Toaster: { __resolveReference: find('Toaster') },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        interface Node {
          id: ID!
        }

        interface WithWarranty {
          warranty: Int
        }

        type Oven implements Node & WithWarranty @key(fields: "id") {
          id: ID!
          warranty: Int
        }
      `,
      resolvers: { Oven: { __resolveReference: find('Oven') } },
    },
  ],
  queries: [
    {
      query: '{ products { ... on Node { id } } }',
      expected: {
        data: { products: [{ id: 'oven1' }, { id: 'oven2' }, { id: 'toaster1' }, { id: 'toaster2' }] },
      },
    },
    {
      query: '{ products { __typename ... on WithWarranty { warranty } } }',
      expected: {
        data: {
          products: [
            { __typename: 'Oven', warranty: 1 },
            { __typename: 'Oven', warranty: 1 },
            { __typename: 'Toaster', warranty: 3 },
            { __typename: 'Toaster', warranty: 4 },
          ],
        },
      },
    },
    {
      query: '{ nodes { ... on Toaster { warranty } ... on Oven { id } } }',
      expected: { data: { nodes: [{ warranty: 3 }, { warranty: 4 }] } },
    },
    { query: '{ nodes { id } }', expected: { data: { nodes: [{ id: 'toaster1' }, { id: 'toaster2' }] } } },
    {
      query: '{ nodes { ... on Node { ... on WithWarranty { warranty } } } }',
      expected: { data: { nodes: [{ warranty: 3 }, { warranty: 4 }] } },
    },
    {
      query: '{ nodes { ... on Node { id ... on Node { id ... on WithWarranty { warranty } } } } }',
      expected: {
        data: {
          nodes: [
            { id: 'toaster1', warranty: 3 },
            { id: 'toaster2', warranty: 4 },
          ],
        },
      },
    },
    {
      query: `
        { toasters { ...ToasterFragment ...NodeFragment } }

        fragment ToasterFragment on Toaster { id }

        fragment NodeFragment on Node { id __typename }
      `,
      expected: {
        data: {
          toasters: [
            { id: 'toaster1', __typename: 'Toaster' },
            { id: 'toaster2', __typename: 'Toaster' },
          ],
        },
      },
    },
    // The audit expects { node: null } with errors for these two.
    { query: '{ node(id: "oven1") { ... on Oven { warranty } } }', expected: { data: { node: null } } },
    { query: '{ node(id: "oven1") { ... on Toaster { warranty } } }', expected: { data: { node: null } } },
    {
      query: '{ node(id: "toaster1") { ... on Toaster { warranty } } }',
      expected: { data: { node: { warranty: 3 } } },
    },
  ],
};
