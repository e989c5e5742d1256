// One jest run over every workspace. TypeScript is compiled by swc (no type-check here:
// `npm run typecheck` does that once for the whole repo).
const swc = ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/**/test/**/*.test.ts', '<rootDir>/**/src/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['<rootDir>/test/kit/src/jest-setup.ts'],
  // One DynamoDB Local and one migrated users database for the whole run, shared by every test
  // supergraph (test/kit/src/shared-stores.ts): each would otherwise spend ~10 s creating its own.
  // Teardown also stops the subgraphs each worker shares between its files (shared-subgraphs.ts).
  globalSetup: '<rootDir>/test/kit/src/global-setup.ts',
  globalTeardown: '<rootDir>/test/kit/src/global-teardown.ts',
  // A deadline only bounds a failing test: suites start whole supergraphs (DynamoDB Local, a JVM,
  // nine Node processes) beside another suite on two cores, which has taken over 60 s in CI.
  testTimeout: 180_000,
  // Jest's default on a 2-core machine is one worker; most suites wait on servers they start
  // (DynamoDB Local, PostgreSQL, brokers, Chromium) more than they compute, so two run side by side.
  maxWorkers: 2,
};
