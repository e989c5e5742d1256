// Every service (each subgraph in supergraph.yaml, then the gateway) in a process of its own, in
// the form asked for (scripts/service-command.ts), on free ports, for the build's test and the
// production bench, which compare the forms and so must start them identically. Subgraphs start
// one after another in supergraph.yaml's order, so each one's start time is its own.
// The caller provides the stores: DYNAMODB_ENDPOINT and DATA_DIR (PGlite, keys, the file event bus).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readSupergraphConfig, repoRoot, subgraphUrlVariable } from '@cloudmart/runtime';
import { freePort } from './local';
import { stopChild } from './processes';
import { serviceCommand, type ServiceForm } from './service-command';

export interface FleetService {
  name: string;
  process: ChildProcess;
  url: string;
  /** Milliseconds from spawn until its probe (/ready) answered 200. */
  readyMs: number;
}

export interface Fleet {
  gatewayUrl: string;
  services: FleetService[];
  /** SIGTERM to every service (gateway first), SIGKILL after 10 s; resolves when all have exited. */
  stop(): Promise<void>;
}

/** How many of a service's last output lines a failed start reports. */
const OUTPUT_LINES = 40;

/**
 * Starts the service in `packageDir` in `form` on 127.0.0.1:`port` with exactly `env` (plus PORT,
 * HOST), the working directory `cwd`; resolves once `probe` (its /ready unless told) answers 200.
 */
export async function startService(
  name: string,
  packageDir: string,
  form: ServiceForm,
  env: NodeJS.ProcessEnv,
  port: number,
  {
    readyTimeoutMs = 180_000,
    cwd = repoRoot,
    probe = '/ready',
  }: { readyTimeoutMs?: number; cwd?: string; probe?: '/ready' | '/health' } = {},
): Promise<FleetService> {
  const { command, args } = serviceCommand(packageDir, form);
  const started = Date.now();
  // IPC: a service stops by itself if this process dies (CLOUDMART_SUPERVISED, see runMain).
  const child = spawn(command, args, {
    cwd,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', CLOUDMART_SUPERVISED: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > OUTPUT_LINES) output = output.slice(-OUTPUT_LINES);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = started + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} (${form}) exited during start-up:\n${output.join('\n')}`);
    try {
      const response = await fetch(`${base}${probe}`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { name, process: child, url: `${base}/graphql`, readyMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} (${form}) was not ready within ${readyTimeoutMs / 1000} s:\n${output.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** This process's environment minus NODE_OPTIONS (a test runner's or a loader's flags). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _inheritedOptions, ...inherited } = process.env;
  return inherited;
}

/**
 * Starts the whole supergraph in `form` with `env` on top of this process's environment (minus
 * NODE_OPTIONS, which would carry a test runner's or a loader's flags into the services).
 */
export async function startFleet(
  form: ServiceForm,
  env: NodeJS.ProcessEnv,
  { readyTimeoutMs = 180_000 }: { readyTimeoutMs?: number } = {},
): Promise<Fleet> {
  const subgraphs = readSupergraphConfig().subgraphs;
  const ports = new Map<string, number>();
  for (const subgraph of [...subgraphs.map((s) => s.name), 'gateway']) ports.set(subgraph, await freePort());
  const sharedEnv: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    ...Object.fromEntries(
      subgraphs.map((s) => [subgraphUrlVariable(s.name), `http://127.0.0.1:${ports.get(s.name)}/graphql`]),
    ),
    ...env,
  };
  const services: FleetService[] = [];
  const stop = async () => {
    for (const service of [...services].reverse()) await stopChild(service.process, 10_000);
  };
  try {
    for (const subgraph of subgraphs)
      services.push(
        await startService(subgraph.name, subgraph.packageDir, form, sharedEnv, ports.get(subgraph.name)!, {
          readyTimeoutMs,
        }),
      );
    const gatewayDir = path.join(repoRoot, 'gateway');
    services.push(
      await startService('gateway', gatewayDir, form, sharedEnv, ports.get('gateway')!, { readyTimeoutMs }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: services.at(-1)!.url, services, stop };
}
