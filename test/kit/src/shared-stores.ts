// What one jest run shares between its test files, so that a test supergraph starts in a second
// or two instead of ten: one DynamoDB Local (each supergraph keeps to its own table prefix and
// deletes its tables when it stops), and a users database created and migrated once (each
// supergraph gets a copy; users opens it and finds no migration to apply).
// jest's globalSetup starts them, before any test file and outside every test's deadline, and
// hands them to the test files through the variables below; without them (a bench, a script)
// each supergraph starts its own, as before.
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync } from 'node:fs';
import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, dynamoConfigSchema, loadConfig } from '@cloudmart/runtime';
import { makeTempDir, startDynamoDbLocal } from '@cloudmart/scripts/local';
import { openDatabase, pgliteDataDir } from '@cloudmart/users/database';
import { stopSharedSubgraphs } from './shared-subgraphs';

// Not DYNAMODB_ENDPOINT or DATA_DIR themselves: child processes inherit the environment (the
// npm start and start:prod tests), and they must keep starting their own stores.
const SHARED_DYNAMODB_ENDPOINT = 'CLOUDMART_TEST_SHARED_DYNAMODB_ENDPOINT';
const SHARED_USERS_DATA_DIR = 'CLOUDMART_TEST_SHARED_USERS_DATA_DIR';
/** A folder for the run's own bookkeeping (the workers' shared subgraphs: info files, logs). */
const TEST_RUN_DIR = 'CLOUDMART_TEST_RUN_DIR';

// jest runs globalSetup and globalTeardown in its main process: the handle waits there in a global.
declare global {
  var cloudmartSharedStores: { stop(): Promise<void> } | undefined;
}

/** Starts the shared stores and publishes them to the test files (jest's globalSetup). */
export async function startSharedStores(): Promise<void> {
  const users = makeTempDir('jest-users');
  const run = makeTempDir('jest-run');
  const [dynamo] = await Promise.all([
    startDynamoDbLocal({ inMemory: true }),
    openDatabase({ dataDir: users.dir }).then((database) => database.close()),
  ]).catch((error: unknown) => {
    users.remove();
    run.remove();
    throw error;
  });
  process.env[SHARED_DYNAMODB_ENDPOINT] = dynamo.endpoint;
  process.env[SHARED_USERS_DATA_DIR] = users.dir;
  process.env[TEST_RUN_DIR] = run.dir;
  globalThis.cloudmartSharedStores = {
    stop: async () => {
      // The workers' shared subgraphs first: they delete their tables as they stop.
      await stopSharedSubgraphs(run.dir);
      await dynamo.stop();
      users.remove();
      run.remove();
    },
  };
}

/** Stops what startSharedStores started (jest's globalTeardown). */
export async function stopSharedStores(): Promise<void> {
  await globalThis.cloudmartSharedStores?.stop();
  globalThis.cloudmartSharedStores = undefined;
}

/** The run's bookkeeping folder, if this is a jest run with shared stores. */
export function testRunDir(): string | undefined {
  return process.env[TEST_RUN_DIR];
}

/** The run's DynamoDB Local and a table prefix no other supergraph uses, if the run shares one. */
export function sharedDynamoDb(): { endpoint: string; tablePrefix: string } | undefined {
  const endpoint = process.env[SHARED_DYNAMODB_ENDPOINT];
  return endpoint ? { endpoint, tablePrefix: `t${randomUUID().slice(0, 8)}-` } : undefined;
}

/** DynamoDB Local for a test that makes its own tables (see startTestDynamoDb). */
export interface TestDynamoDb {
  endpoint: string;
  /** A prefix no other test's tables have: put it in front of every table name the test makes. */
  tablePrefix: string;
  /** Deletes the tables under the prefix (the run's server), or stops the server (its own). */
  stop(): Promise<void>;
}

/**
 * The run's DynamoDB Local under a table prefix of the test's own: already started and its JIT
 * warm, where starting one costs ~2 CPU-s before the first request. Outside a jest run with shared
 * stores, one of its own in memory (prefix '').
 */
export async function startTestDynamoDb(): Promise<TestDynamoDb> {
  const shared = sharedDynamoDb();
  if (!shared) {
    const own = await startDynamoDbLocal({ inMemory: true });
    return { endpoint: own.endpoint, tablePrefix: '', stop: () => own.stop() };
  }
  return {
    ...shared,
    stop: () => deleteTables({ DYNAMODB_ENDPOINT: shared.endpoint, DYNAMODB_TABLE_PREFIX: shared.tablePrefix }),
  };
}

/** Deletes the tables a supergraph created under its prefix (the shared server keeps them in memory). */
export async function deleteTables(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(dynamoConfigSchema, env);
  const client = createDocumentClient(config);
  try {
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      const ours = (page.TableNames ?? []).filter((name) => name.startsWith(config.DYNAMODB_TABLE_PREFIX));
      await Promise.all(ours.map((name) => client.send(new DeleteTableCommand({ TableName: name }))));
      start = page.LastEvaluatedTableName;
    } while (start);
  } finally {
    client.destroy();
  }
}

/**
 * Puts a copy of the run's migrated users database under `dataDir` (~0.1 s; creating one costs
 * seconds), unless the run shares none or `dataDir` has one already (a test restarting users on
 * its own data).
 */
export function copyUsersDatabase(dataDir: string): void {
  const shared = process.env[SHARED_USERS_DATA_DIR];
  const target = pgliteDataDir(dataDir);
  if (!shared || existsSync(target)) return;
  cpSync(pgliteDataDir(shared), target, { recursive: true });
}
