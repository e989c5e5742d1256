// The supergraph as a cluster runs it, for the soak (bench/soak) and the production form on one
// machine (scripts/start-prod.ts): each service in its own process, in its development or compiled
// form (./service-command.ts), with gateway replicas, the Kafka-protocol broker in its own process
// (./kafka-broker.ts, standing in for MSK) and DynamoDB Local on disk so it can be killed and
// restarted on the same data. A process that exits on its own is started again, as the kubelet
// restarts a crashed container; the soak SIGKILLs them on purpose.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { readSupergraphConfig, repoRoot, subgraphUrlVariable } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from './local';
import { freePort } from './local';
import { stopChild } from './processes';
import { serviceCommand, type ServiceForm } from './service-command';

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's WebSocket URL in what a process started with --inspect printed, if there. */
export function inspectorUrlIn(output: string): string | undefined {
  return output.match(INSPECTOR_URL)?.[1];
}

/** Resident memory of a process, in bytes, from /proc (Linux). */
export function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Something the soak runs and may kill: a service, DynamoDB Local, the broker. */
export interface Managed {
  name: string;
  pid(): number | undefined;
  /** Started this many times (1 + restarts). */
  starts: number;
  start(): Promise<void>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** A Node service (a subgraph or a gateway replica) started from its entry file. */
export class ServiceProcess implements Managed {
  starts = 0;
  private child?: ChildProcess;
  /** The inspector's URL while the process runs with `inspect` (./heap.ts asks it for a full GC). */
  inspectorUrl?: string;
  /** Set while the harness itself kills or stops the process. */
  private expectingExit = false;
  /** Called when the process exits without the harness killing or stopping it. */
  onUnexpectedExit?: (code: number | null, signal: string | null) => void;

  constructor(
    readonly name: string,
    private readonly packageDir: string,
    private readonly form: ServiceForm,
    readonly port: number,
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Start with the inspector on a free loopback port. */
    private readonly inspect = false,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  pid() {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  async start(): Promise<void> {
    const log = openSync(this.logFile, 'a');
    writeSync(log, `\n--- start ${this.starts + 1} at ${new Date().toISOString()}\n`);
    // The IPC channel: a service stops itself when the harness dies (runMain's 'launcher gone').
    const inspect = this.inspect ? ['--inspect=127.0.0.1:0'] : [];
    this.inspectorUrl = undefined;
    const { command, args } = serviceCommand(this.packageDir, this.form);
    const instance = randomUUID();
    const child = spawn(command, [...inspect, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env(), PORT: String(this.port), CLOUDMART_SUPERVISED: '1', CLOUDMART_INSTANCE: instance },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const write = (chunk: Buffer) => writeSync(log, chunk);
    child.stdout!.on('data', write);
    child.stderr!.on('data', write);
    if (this.inspect) {
      let early = '';
      const findInspector = (chunk: Buffer) => {
        early += chunk.toString();
        this.inspectorUrl = inspectorUrlIn(early);
        if (this.inspectorUrl || early.length > 10_000) child.stderr!.off('data', findInspector);
      };
      child.stderr!.on('data', findInspector);
    }
    child.once('exit', (code, signal) => {
      closeSync(log);
      if (!this.expectingExit && this.child === child) this.onUnexpectedExit?.(code, signal);
    });
    this.expectingExit = false;
    this.child = child;
    this.starts += 1;
    await waitReady(`http://127.0.0.1:${this.port}/ready`, child, this.name, this.logFile, instance);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.expectingExit = true;
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    this.expectingExit = true;
    if (this.child) await stopChild(this.child, 15_000);
  }
}

/**
 * Resolves once `child` answers ready at `url`. Only its own answer counts (the x-cloudmart-instance
 * header echoes the `instance` it was started with): a port found free may be taken by another
 * process before the child binds it, and that process's "ready" would otherwise pass for the
 * child's while the child dies of EADDRINUSE.
 */
export async function waitReady(url: string, child: ChildProcess, name: string, logFile: string, instance: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode}); see ${logFile}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok && response.headers.get('x-cloudmart-instance') === instance) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} not ready within 180 s; see ${logFile}`);
}

/** DynamoDB Local on disk under the soak's data folder, always on the same port. */
export class DynamoProcess implements Managed {
  readonly name = 'dynamodb-local';
  starts = 0;
  private local?: DynamoDbLocal;
  private port = 0;

  constructor(private readonly dbPath: string) {}

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  pid() {
    return this.local?.pid;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    // Right after a SIGKILL the port may still be held for a moment: try again briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        this.local = await startDynamoDbLocal({ dbPath: this.dbPath, port: this.port });
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(500);
      }
    }
    this.starts += 1;
  }

  async kill(): Promise<void> {
    const pid = this.local?.pid;
    if (!pid) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let attempt = 0; attempt < 200 && rssOf(pid) !== undefined; attempt++) await sleep(50);
    this.local = undefined;
  }

  async stop(): Promise<void> {
    await this.local?.stop();
    this.local = undefined;
  }
}

/** The broker host (./kafka-broker.ts): down/up over IPC for the bus outage. */
export class BrokerProcess implements Managed {
  readonly name = 'kafka-broker';
  starts = 0;
  bootstrapServers = '';
  private child?: ChildProcess;

  pid() {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'kafka-broker.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    this.child = child;
    this.bootstrapServers = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = output.match(/BROKERS (\S+)/);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the broker exited (${code}): ${output}`)));
    });
    this.starts += 1;
  }

  /** Every broker down (true) or up (false), keeping the data. */
  setDown(down: boolean): Promise<void> {
    const child = this.child!;
    return new Promise((resolve) => {
      const onMessage = (message: { type?: string }) => {
        if (message.type === (down ? 'down' : 'up')) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.send({ type: down ? 'down' : 'up' });
    });
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child, 5_000);
  }
}

/** A process that died without the harness killing it, and when the harness had it back. */
export interface UnplannedExit {
  name: string;
  at: number;
  code: number | null;
  signal: string | null;
  restartedAt?: number;
}

export interface Cluster {
  /** Processes that exited on their own; each restarted, as the kubelet would. */
  unplannedExits: UnplannedExit[];
  dynamo: DynamoProcess;
  broker: BrokerProcess;
  subgraphs: ServiceProcess[];
  gateways: ServiceProcess[];
  /** Every process, for RSS sampling. */
  all(): Managed[];
  /** The environment the services share (endpoints, data folder, event bus). */
  env(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  dataDir: string;
  logDir: string;
  /** Extra variables for every service, over everything else. */
  env: NodeJS.ProcessEnv;
  /**
   * A service's own variables (e.g. its ConfigMaps and secrets), under the cluster's endpoints,
   * data folder and `env`.
   */
  serviceEnv?: (name: string) => NodeJS.ProcessEnv;
  gatewayReplicas: number;
  /** The replicas' ports, in order (free ports when not given). */
  gatewayPorts?: number[];
  /** Source through tsx (default) or the compiled build (`npm run build`). */
  form?: ServiceForm;
  /** Start the Node services with their inspector on loopback (for bench/soak/heap.ts). */
  inspect?: boolean;
}

/** Starts DynamoDB Local, the broker, every subgraph of supergraph.yaml and the gateway replicas. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const form = options.form ?? 'dev';
  const dynamo = new DynamoProcess(path.join(options.dataDir, 'dynamodb'));
  const broker = new BrokerProcess();
  await Promise.all([dynamo.start(), broker.start()]);
  const subgraphConfigs = readSupergraphConfig().subgraphs;
  const ports = new Map<string, number>();
  for (const subgraph of subgraphConfigs) ports.set(subgraph.name, await freePort());
  const env = (): NodeJS.ProcessEnv => ({
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    EVENT_BUS: 'kafka',
    KAFKA_BROKERS: broker.bootstrapServers,
    // The mock cluster has no SASL listener (MSK's IAM one is what the manifests name).
    KAFKA_SASL: 'none',
    ...Object.fromEntries([...ports].map(([name, port]) => [subgraphUrlVariable(name), `http://127.0.0.1:${port}/graphql`])),
    ...options.env,
  });
  const envOf = (name: string) => () => ({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ...options.serviceEnv?.(name),
    ...env(),
  });
  const subgraphs = subgraphConfigs.map(
    (subgraph) =>
      new ServiceProcess(
        subgraph.name,
        subgraph.packageDir,
        form,
        ports.get(subgraph.name)!,
        envOf(subgraph.name),
        path.join(options.logDir, `${subgraph.name}.log`),
        options.inspect,
      ),
  );
  // Subgraphs first, each ready before the next: start-up seeds tables the next may read.
  for (const subgraph of subgraphs) await subgraph.start();
  const gateways: ServiceProcess[] = [];
  for (let replica = 0; replica < options.gatewayReplicas; replica++) {
    const name = `gateway-${String.fromCharCode(97 + replica)}`;
    const port = options.gatewayPorts?.[replica] ?? (await freePort());
    gateways.push(
      new ServiceProcess(name, path.join(repoRoot, 'gateway'), form, port, envOf('gateway'), path.join(options.logDir, `${name}.log`), options.inspect),
    );
  }
  await Promise.all(gateways.map((gateway) => gateway.start()));
  const unplannedExits: UnplannedExit[] = [];
  let stopping = false;
  for (const service of [...subgraphs, ...gateways]) {
    service.onUnexpectedExit = (code, signal) => {
      if (stopping) return;
      const exit: UnplannedExit = { name: service.name, at: Date.now(), code, signal };
      unplannedExits.push(exit);
      setTimeout(() => {
        if (stopping) return;
        service.start().then(
          () => (exit.restartedAt = Date.now()),
          (error: unknown) => console.error(`restarting ${service.name} failed: ${String(error)}`),
        );
      }, 1_000);
    };
  }
  return {
    unplannedExits,
    dynamo,
    broker,
    subgraphs,
    gateways,
    all: () => [dynamo, broker, ...subgraphs, ...gateways],
    env,
    async stop() {
      stopping = true;
      for (const gateway of gateways) await gateway.stop();
      for (const subgraph of [...subgraphs].reverse()) await subgraph.stop();
      await broker.stop();
      await dynamo.stop();
    },
  };
}
