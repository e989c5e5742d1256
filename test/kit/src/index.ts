// Test helpers shared by every package's tests, imported by package name (`@cloudmart/test-kit`).
// The local servers the helpers start (DynamoDB Local, PostgreSQL, Redis, the Kafka mock) are the
// development launchers of `@cloudmart/scripts/local`, re-exported so a test imports from one place.
export * from '@cloudmart/scripts/local';
export * from './graphql-client';
export * from './internal-token';
export * from './loopback';
export * from './held-task';
export * from './media';
export * from './supergraph';
export { copyUsersDatabase, startTestDynamoDb, type TestDynamoDb } from './shared-stores';
export * from './shared-subgraphs';
export * from './service-process';
export * from './processes';
export * from './tables';
export * from './event-bus-fixtures';
export * from './shop';
export * from './orders';
export * from './products';
export * from './bedrock-fake';
export * from './sigv4';
export * from './ses-fake';
export * from './sns-fake';
export * from './mail-inbox';
export * from './msk-events';
