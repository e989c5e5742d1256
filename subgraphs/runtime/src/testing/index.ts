export * from './graphql-client';
export * from './internal-token';
export * from './temp-dir';
export * from './ports';
export * from './supergraph';
export * from './postgres';
export * from './kafka-mock';
export * from './event-bus-fixtures';
