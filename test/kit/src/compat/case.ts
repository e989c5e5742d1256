import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';

/** One subgraph of a compatibility case: its SDL and resolvers over in-memory data. */
export interface CaseSubgraph {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

export interface CaseQuery {
  query: string;
  variables?: Record<string, unknown>;
  /** The expected response (its `data` is compared): the audit's, or for our own cases written from their data. */
  expected?: unknown;
  /** The operation to run when the document holds several (sent as the request's `operationName`). */
  operationName?: string;
  /**
   * `false` for an operation whose answer depends on the order it runs in against others (a
   * mutation over shared state): it is then not also sent to ours several times at once.
   */
  concurrent?: false;
  /**
   * Why stock @apollo/gateway answers this wrongly (docs/federation-compliance.md): ours is then
   * checked against `expected`, written out by hand, as the whole response body, not against stock.
   */
  stockWrong?: string;
}

/**
 * A federation compatibility case: subgraphs composed into a supergraph, and queries whose
 * responses through our gateway must be identical to stock @apollo/gateway's.
 */
export interface CompatCase {
  name: string;
  /** Where it comes from: a federation-gateway-audit suite, or ours. */
  source: string;
  /** The federation features it exercises. */
  covers: string[];
  subgraphs: CaseSubgraph[];
  queries: CaseQuery[];
}

export const AUDIT = 'https://github.com/graphql-hive/federation-gateway-audit/tree/main/src/test-suites';
