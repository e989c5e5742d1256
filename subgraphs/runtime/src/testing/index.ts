export * from './graphql-client';
export * from './temp-dir';
