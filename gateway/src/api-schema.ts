import { Supergraph } from '@apollo/federation-internals';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { supergraphForGateway } from './security/supergraph-for-gateway';

/**
 * The API schema: what clients of the gateway see. The supergraph without its federation machinery
 * (join__, link__, the @inaccessible elements and the directive definitions composition adds),
 * computed by @apollo/federation-internals exactly as @apollo/gateway computes the schema it
 * serves, from the supergraph as the gateway is given it.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphForGateway(supergraphSdl)).apiSchema().toGraphQLJSSchema();
}

/** A schema as SDL with types and fields sorted, so two versions diff line by line. */
export const printSortedSchema = (schema: GraphQLSchema): string =>
  `${printSchema(lexicographicSortSchema(schema))}\n`;
