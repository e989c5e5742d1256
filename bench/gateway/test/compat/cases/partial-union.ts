// Modelled on the federation-gateway-audit suite "partial-union": a union with three members
// in the subgraph that owns the root field and one in another subgraph that shares the parent
// value type; the members without @key exist only in the first, and their fragments must not
// be dropped from its fetch.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const message = 'Hello, Federation!';
const alpha = { __typename: 'Alpha', id: 'alpha-1', value: 'alpha value' };
const beta = { __typename: 'Beta', id: 'beta-1', name: 'beta name', details: 'beta details' };
const gamma = { __typename: 'Gamma', id: 'gamma-1', label: 'gamma label' };

export const partialUnion: CompatCase = {
  name: 'partial-union',
  source: `${AUDIT}/partial-union`,
  covers: [
    'unions with members in one subgraph only',
    '@shareable value types',
    'fragments on union members',
  ],
  subgraphs: [
    {
      name: 'primary',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])

        type Query {
          getResponse: Response
        }

        type Response @shareable {
          actions: [Action!]!
          message: String
        }

        union Action = Alpha | Beta | Gamma

        type Alpha @shareable {
          id: ID!
          value: String
        }

        type Beta {
          id: ID!
          name: String
          details: String
        }

        type Gamma {
          id: ID!
          label: String
        }
      `,
      resolvers: { Query: { getResponse: () => ({ message, actions: [alpha, beta, gamma] }) } },
    },
    {
      name: 'secondary',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])

        type Response @shareable {
          actions: [Action!]!
          message: String
        }

        union Action = Alpha

        type Alpha @shareable {
          id: ID!
          value: String
        }
      `,
      resolvers: {},
    },
  ],
  queries: [
    {
      query: `
        {
          getResponse {
            message
            actions {
              __typename
              ... on Alpha { id value }
              ... on Beta { id name details }
              ... on Gamma { id label }
            }
          }
        }
      `,
      expected: { data: { getResponse: { message, actions: [alpha, beta, gamma] } } },
    },
    {
      query: '{ getResponse { actions { __typename ... on Beta { name } ... on Gamma { label } } } }',
      expected: {
        data: {
          getResponse: {
            actions: [
              { __typename: 'Alpha' },
              { __typename: 'Beta', name: beta.name },
              { __typename: 'Gamma', label: gamma.label },
            ],
          },
        },
      },
    },
  ],
};
