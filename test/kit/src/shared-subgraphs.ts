// The subgraphs one jest worker shares between the test files it runs (one after another), for
// startTestSupergraph({ subgraphs: 'shared' }). Each file still gets a gateway and counting proxies
// of its own; starting the seven subgraphs is most of a supergraph's start-up, and with it a
// file's share of the suite's time. They run in a child process: jest gives every test file
// fresh modules, so nothing in the file's own process outlives it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { commandLineOf, processAlive } from './processes';
import { testRunDir } from './shared-stores';
import type { SharedSubgraphsInfo } from './subgraphs-process';

/** How long the first file of a worker waits for them: no tight margin on a loaded machine. */
const START_TIMEOUT_MS = 240_000;

const readInfo = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SharedSubgraphsInfo;

/**
 * Whether the process an info file names is still that worker's subgraphs process: alive, and
 * started with that file. A pid alone is not enough: they are reused (pid_max is 32768 here, and
 * the suite starts thousands of processes), and a reused one would hand a gateway another
 * process's ports, or be sent SIGTERM at teardown.
 */
const stillServing = (infoFile: string, pid: number) =>
  processAlive(pid) && commandLineOf(pid).includes(`subgraphs-process.ts ${infoFile}`);

/** This jest worker's shared subgraphs, started by the first test file that asks. */
export async function sharedSubgraphs(): Promise<SharedSubgraphsInfo> {
  const runDir = testRunDir();
  const worker = process.env.JEST_WORKER_ID;
  if (!runDir || !worker) throw new Error("subgraphs: 'shared' needs jest's run (its globalSetup); elsewhere start a supergraph of its own");
  const infoFile = path.join(runDir, `subgraphs-worker-${worker}.json`);
  if (existsSync(infoFile)) {
    const info = readInfo(infoFile);
    if (stillServing(infoFile, info.pid)) return info;
  }
  const logFile = path.join(runDir, `subgraphs-worker-${worker}.log`);
  // Not tied to this file's handles (jest would wait for them): the child watches its parent, and
  // globalTeardown stops it. jest's NODE_OPTIONS (VM modules) are not the services'.
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'subgraphs-process.ts'), infoFile], {
    cwd: repoRoot,
    env: inherited,
    stdio: ['ignore', log, log],
  });
  closeSync(log); // the child has its own copy
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (existsSync(infoFile)) {
      const info = readInfo(infoFile);
      if (info.pid === child.pid) return info;
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const output = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`the worker's shared subgraphs did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops every worker's shared subgraphs (jest's globalTeardown, before the stores they use). */
export async function stopSharedSubgraphs(runDir: string): Promise<void> {
  const running = () =>
    readdirSync(runDir)
      .filter((name) => /^subgraphs-worker-\d+\.json$/.test(name))
      .map((name) => path.join(runDir, name))
      .map((infoFile) => ({ infoFile, pid: readInfo(infoFile).pid }))
      .filter(({ infoFile, pid }) => stillServing(infoFile, pid))
      .map(({ pid }) => pid);
  for (const pid of running()) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (running().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of running()) process.kill(pid, 'SIGKILL');
}
