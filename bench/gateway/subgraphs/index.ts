import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import * as accounts from './accounts';
import * as inventory from './inventory';
import * as products from './products';
import * as reviews from './reviews';

export interface BenchSubgraph {
  name: string;
  typeDefs: string;
  schema: GraphQLSchema;
}

/** The four subgraphs of the gateway benchmark, in the order they are listed everywhere. */
export const benchSubgraphs: BenchSubgraph[] = [accounts, products, inventory, reviews].map((module) => ({
  name: module.name,
  typeDefs: module.typeDefs,
  schema: buildSubgraphSchema({ typeDefs: parse(module.typeDefs), resolvers: module.resolvers }),
}));
