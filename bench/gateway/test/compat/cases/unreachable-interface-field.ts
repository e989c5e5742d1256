// Ours, for federation-gateway-audit "non-resolvable-interface-object" #1: an entity interface that
// no object implements in any subgraph, extended through a `resolvable: false` @interfaceObject
// elsewhere. A field of that extension selected under the interface cannot be fetched: stock
// @apollo/gateway's planner leaves the whole root field out of its plan and answers `null` without
// an error; ours answers an error and no data (gateway/src/plan-executor/unplanned-fields.ts).
// Where stock is wrong the answer is written out by hand.
import type { CompatCase } from '@cloudmart/test-kit/compat';

const STOCK_NULL = 'stock plans nothing for the field and answers null without an error';

export const unreachableInterfaceField: CompatCase = {
  name: 'unreachable-interface-field',
  source: 'ours',
  covers: [
    'entity interface without implementations',
    'resolvable: false @interfaceObject',
    'unplannable selections',
  ],
  subgraphs: [
    {
      name: 'ledger',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        interface Account @key(fields: "id") {
          id: ID!
        }

        type Query {
          account: Account
          balance: Int!
        }
      `,
      resolvers: {
        Query: { account: () => ({ __typename: 'Account', id: 'acc-1' }), balance: () => 42 },
      },
    },
    {
      name: 'risk',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

        type Account @key(fields: "id", resolvable: false) @interfaceObject {
          id: ID!
          riskScore: Int
        }

        type Query {
          riskiest: Account
        }
      `,
      resolvers: {
        Query: { riskiest: () => ({ id: 'acc-7' }) },
        Account: { riskScore: () => 93 },
      },
    },
  ],
  queries: [
    {
      // Served by the @interfaceObject's own subgraph: stock is right.
      query: '{ riskiest { id riskScore } }',
      expected: { data: { riskiest: { id: 'acc-7', riskScore: 93 } } },
    },
    {
      query: '{ account { riskScore } }',
      stockWrong: STOCK_NULL,
      expected: {
        errors: [
          {
            message:
              'The supergraph cannot resolve Query.account as selected: no subgraph can provide the selection.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    },
    {
      // Beside a field that could be answered: the operation as a whole cannot.
      query: '{ balance account { riskScore } }',
      stockWrong: STOCK_NULL,
      expected: {
        errors: [
          {
            message:
              'The supergraph cannot resolve Query.account as selected: no subgraph can provide the selection.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    },
  ],
};
