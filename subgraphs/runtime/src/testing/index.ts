export * from './graphql-client';
export * from './temp-dir';
export * from './supergraph';
export * from './postgres';
