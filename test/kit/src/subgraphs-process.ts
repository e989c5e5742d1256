// The subgraphs a jest worker shares between its test files, in a process of their own
// (shared-subgraphs.ts starts it): `node --import tsx test/kit/src/subgraphs-process.ts <info file>`.
// Starts every subgraph of supergraph.yaml as startTestSupergraph does, then writes their URLs and
// environment to the info file (JSON, written whole). Stops on SIGTERM, and by itself once the
// process that started it is gone.
import { renameSync, writeFileSync } from 'node:fs';
import type { RunningServer } from '@cloudmart/runtime';
import { makeTempDir } from '@cloudmart/scripts/local';
import { copyUsersDatabase, deleteTables, sharedDynamoDb } from './shared-stores';
import { startSubgraphs } from './supergraph';

export interface SharedSubgraphsInfo {
  pid: number;
  /** Each subgraph's /graphql URL, by name. */
  subgraphUrls: Record<string, string>;
  /** What the services were started with that a gateway or a test needs too (DATA_DIR, DYNAMODB_*). */
  env: Record<string, string>;
}

async function main() {
  const infoFile = process.argv[2];
  const dynamo = sharedDynamoDb();
  if (!infoFile || !dynamo) throw new Error('usage (under jest, with its shared stores): subgraphs-process.ts <info file>');
  const parent = process.ppid;
  const temp = makeTempDir('shared-subgraphs');
  const own = { NODE_ENV: 'test', DATA_DIR: temp.dir, PORT: '0', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: dynamo.tablePrefix };
  const env: NodeJS.ProcessEnv = { ...process.env, ...own };
  copyUsersDatabase(temp.dir);
  const running: RunningServer[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(orphanCheck);
    setTimeout(() => process.exit(1), 10_000).unref();
    try {
      for (const server of running.reverse()) await server.stop();
      await deleteTables(env);
    } finally {
      temp.remove();
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // Started without an IPC channel (jest would wait on it): notice the parent's end by its pid.
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 1_000);

  try {
    const subgraphUrls = await startSubgraphs(env, running, async (_name, url) => url);
    const info: SharedSubgraphsInfo = { pid: process.pid, subgraphUrls, env: own };
    writeFileSync(`${infoFile}.tmp`, JSON.stringify(info));
    renameSync(`${infoFile}.tmp`, infoFile);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

void main();
