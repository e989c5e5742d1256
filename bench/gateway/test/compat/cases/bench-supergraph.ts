// The gateway benchmark's own supergraph (bench/gateway): @requires, @provides and entity chains
// over four subgraphs, with the expected JSON the benchmark checks every response against.
import { readExpected } from '../../../expected';
import { benchQueries } from '../../../queries';
import * as accounts from '../../../subgraphs/accounts';
import * as inventory from '../../../subgraphs/inventory';
import * as products from '../../../subgraphs/products';
import * as reviews from '../../../subgraphs/reviews';
import type { CompatCase } from '@cloudmart/test-kit/compat';

export const benchSupergraph: CompatCase = {
  name: 'bench-supergraph',
  source: 'ours (bench/gateway)',
  covers: ['@requires', '@provides', 'nested entity chains', 'fragments'],
  subgraphs: [accounts, products, inventory, reviews].map(({ name, typeDefs, resolvers }) => ({
    name,
    typeDefs,
    resolvers,
  })),
  queries: benchQueries.map(({ name, query }) => ({ query, expected: readExpected(name) })),
};
