import { DateTimeResolver } from 'graphql-scalars';

/**
 * Scalars shared by every subgraph, with the same name and behaviour everywhere so they
 * compose: `DateTime` is an ISO-8601 string in UTC on the wire and a Date in resolvers.
 */
export const scalarResolvers = { DateTime: DateTimeResolver };
