// A service in a process of its own, for tests of what happens when it dies (SIGKILL) and comes
// back: started as the launcher (scripts/start.ts) starts it, `node --import tsx <package>/src/index.ts`,
// on a fixed port so that after a restart it answers at the same URL. Everything else a test may
// keep in its own process (startTestSupergraph's `external` points the others at this one).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { readSupergraphConfig } from '@cloudmart/runtime';
import { freePort } from '@cloudmart/scripts/local';

export interface ServiceProcess {
  /** The service's /graphql URL, the same across restarts. */
  url: string;
  /** Sends `signal` (SIGKILL unless told: no clean-up runs) and waits until the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again, same environment and port, and waits until it is ready. */
  restart(): Promise<void>;
  /** Stops it politely (SIGTERM; a service exits within 10 s of it, see runMain) if it still runs. */
  stop(): Promise<void>;
}

/** How many of the child's last output lines a failed start reports. */
const OUTPUT_LINES = 40;

/**
 * Starts subgraph `name` (as supergraph.yaml lists it) in a child process with `env` on top of
 * this process's environment, on `env.PORT` or a free port; resolves once its /ready answers.
 * The child is connected over IPC, so it stops by itself if the test process dies.
 */
export async function startServiceProcess(
  name: string,
  env: NodeJS.ProcessEnv,
  { readyTimeoutMs = 90_000 }: { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const subgraph = readSupergraphConfig().subgraphs.find((entry) => entry.name === name);
  if (!subgraph) throw new Error(`supergraph.yaml lists no subgraph ${name}`);
  const entry = path.join(subgraph.packageDir, 'src', 'index.ts');
  const port = Number(env.PORT) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  // jest's NODE_OPTIONS (VM modules) are not the service's.
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const childEnv = { ...inherited, ...env, PORT: String(port), HOST: '127.0.0.1' };
  let child: ChildProcess | undefined;
  let output: string[] = [];

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const exited = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.once('exit', () => resolve()));

  const launch = async () => {
    output = [];
    const started = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: repoRoot,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = started;
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (output.length > OUTPUT_LINES) output = output.slice(-OUTPUT_LINES);
    };
    started.stdout!.on('data', keep);
    started.stderr!.on('data', keep);
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(`${name} exited during start-up:\n${output.join('\n')}`);
      try {
        const response = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`${name} was not ready within ${readyTimeoutMs / 1000} s:\n${output.join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  await launch();
  return {
    url: `${base}/graphql`,
    async kill(signal = 'SIGKILL') {
      if (!child || !running()) return;
      const done = exited(child);
      child.kill(signal);
      await done;
    },
    async restart() {
      if (running()) throw new Error(`${name} is still running: kill it first`);
      await launch();
    },
    async stop() {
      if (!child || !running()) return;
      const done = exited(child);
      child.kill('SIGTERM');
      await done;
    },
  };
}
