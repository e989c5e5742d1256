// npm run bench:gateway — federation gateways side by side on the bench supergraph (issue 11).
//
// The four bench subgraphs (./subgraphs) run in one process and the load generator (autocannon,
// in this process) on CPU core 0; each gateway runs alone, in its own process, pinned with
// `taskset -c 1` to core 1. Rounds are interleaved (A B C … A B C …): each round starts every
// gateway in turn, checks it answers each query with the expected JSON, warms it up, measures it
// and stops it. Every response under load is compared with the expected JSON too; a gateway with
// mismatches is flagged in the table. Subgraph calls are counted at the subgraphs.
//
// Flags: --quick (1 round, short runs), --rounds N, --duration S, --warmup S, --connections N,
//        --gateways id,id (see `variants`), --queries name,name, --out PATH (without extension).
// Writes bench/results/gateway.json and bench/results/gateway.md (or PATH.json and PATH.md).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '@cloudmart/test-kit';
import { benchQueries, type BenchQuery } from './queries';
import { expectedResponses } from './expected';
import { composeBenchSupergraph } from './supergraph';
import { stopChild } from '@cloudmart/scripts/processes';

const repoRoot = path.resolve(__dirname, '..', '..');
const LOAD_CORE = '0';
/** Requests per connection in the run whose subgraph calls are counted. */
const COUNTED_REQUESTS_PER_CONNECTION = 2;
const GATEWAY_CORE = '1';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    gateways: { type: 'string' },
    queries: { type: 'string' },
    /** Where the table goes, without extension (default bench/results/gateway): exploratory runs elsewhere. */
    out: { type: 'string' },
  },
});
const settings = {
  rounds: Number(flags.rounds ?? (flags.quick ? 1 : 3)),
  durationSeconds: Number(flags.duration ?? (flags.quick ? 3 : 8)),
  warmupSeconds: Number(flags.warmup ?? (flags.quick ? 1 : 2)),
  connections: Number(flags.connections),
};

// ---------------------------------------------------------------------------------------------
// The gateways under test.

interface Variant {
  id: string;
  label: string;
  /** Arguments after `node`, given a free port and the supergraph file. */
  args(port: number, supergraphFile: string): string[];
  env?: NodeJS.ProcessEnv;
  /** The /graphql URL, from the port. */
  url(port: number): string;
  /** Part of a run without --gateways (default true). */
  byDefault?: boolean;
}

const hiveBin = path.join(repoRoot, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
type HiveDedup = 'dedup-on' | 'dedup-off' | 'inbound-dedup';
const hive = (
  id: string,
  label: string,
  dedup: HiveDedup,
  routerRuntime: boolean,
  byDefault = true,
): Variant => ({
  id,
  label,
  // The CLI as The Guild's benchmark runs it, in one process (no --fork).
  args: (port, supergraphFile) => [
    hiveBin,
    'supergraph',
    supergraphFile,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--config-path',
    path.join(__dirname, 'gateways', `hive-${dedup}.config.ts`),
    ...(routerRuntime ? ['--hive-router-runtime'] : []),
  ],
  url: (port) => `http://127.0.0.1:${port}/graphql`,
  byDefault,
});

const ourKeys = () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // The gateway signs internal tokens for the subgraphs; the bench subgraphs do not check them.
  const internal = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    PARTNER_KEY_PEPPER: randomBytes(24).toString('hex'),
    GATEWAY_TOKEN_PUBLIC_KEY: internal.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    GATEWAY_TOKEN_PRIVATE_KEY: internal.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
};

/** Our gateway (gateways/ours.ts) with extra environment variables. */
const ours = (id: string, label: string, env: NodeJS.ProcessEnv, byDefault = true): Variant => ({
  id,
  label,
  args: () => ['--import', 'tsx', path.join(__dirname, 'gateways', 'ours.ts')],
  env: { ...ourKeys(), ...env },
  url: (port) => `http://127.0.0.1:${port}/graphql`,
  byDefault,
});
const noDedup = { SUBGRAPH_DEDUP: 'false' };

const variants: Variant[] = [
  {
    id: 'stock',
    label: 'stock @apollo/gateway (Apollo Server defaults)',
    args: () => ['--import', 'tsx', path.join(__dirname, 'gateways', 'stock.ts')],
    url: (port) => `http://127.0.0.1:${port}/`,
  },
  ours('ours', 'our gateway (gateway/src)', {}),
  // Field usage recording (issue 24) is on by default, as in the row above; this row is the same
  // gateway with it off, so the two side by side are its cost.
  ours('ours-no-usage', 'our gateway, field usage off (FIELD_USAGE=false)', { FIELD_USAGE: 'false' }),
  ours('ours-no-dedup', 'our gateway, subgraph dedup off (SUBGRAPH_DEDUP=false)', {
    SUBGRAPH_DEDUP: 'false',
  }),
  // Opt-in (--gateways): each optimisation of docs/performance.md switched off on its own (with
  // deduplication off too, so that the gateway's own work is what is measured), and all of them.
  ours(
    'ours-no-dedup-no-pool',
    'ours, dedup off, no undici pools (SUBGRAPH_POOL=false)',
    {
      ...noDedup,
      SUBGRAPH_POOL: 'false',
    },
    false,
  ),
  ours(
    'ours-no-dedup-no-caches',
    'ours, dedup off, no operation caches (OPERATION_CACHE_SIZE=0)',
    {
      ...noDedup,
      OPERATION_CACHE_SIZE: '0',
    },
    false,
  ),
  ours(
    'ours-no-dedup-no-lean',
    'ours, dedup off, LEAN_PIPELINE=false',
    { ...noDedup, LEAN_PIPELINE: 'false' },
    false,
  ),
  ours(
    'ours-no-dedup-no-plan-executor',
    "ours, dedup off, @apollo/gateway's executor (PLAN_EXECUTOR=false)",
    { ...noDedup, PLAN_EXECUTOR: 'false' },
    false,
  ),
  ours(
    'ours-no-dedup-no-entity-cache',
    'ours, dedup off, ENTITY_CACHE=false',
    { ...noDedup, ENTITY_CACHE: 'false' },
    false,
  ),
  ours(
    'ours-unoptimised',
    'ours, every optimisation off',
    {
      ...noDedup,
      SUBGRAPH_POOL: 'false',
      OPERATION_CACHE_SIZE: '0',
      LEAN_PIPELINE: 'false',
      ENTITY_CACHE: 'false',
      PLAN_EXECUTOR: 'false',
    },
    false,
  ),
  hive('hive', 'Hive Gateway, dedup on', 'dedup-on', false),
  hive('hive-no-dedup', 'Hive Gateway, dedup off', 'dedup-off', false),
  hive('hive-router', 'Hive Gateway + Rust router runtime, dedup on', 'dedup-on', true),
  hive('hive-router-no-dedup', 'Hive Gateway + Rust router runtime, dedup off', 'dedup-off', true),
  // Opt-in (--gateways): The Guild benchmark's configuration, whole client requests deduplicated.
  hive(
    'hive-inbound-dedup',
    'Hive Gateway, inbound request dedup (The Guild config)',
    'inbound-dedup',
    false,
    false,
  ),
  hive(
    'hive-router-inbound-dedup',
    'Hive Gateway + Rust router runtime, inbound request dedup',
    'inbound-dedup',
    true,
    false,
  ),
];

// ---------------------------------------------------------------------------------------------
// Processes.

const children = new Set<ChildProcess>();
const logDir = mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-logs-'));

/**
 * Starts `node <args>` pinned to one core, its output drained into a log file. With `ready`, resolves
 * once its output matches; without, at once (the caller then polls the server).
 */
function startPinned(
  name: string,
  core: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready?: RegExp,
  ipc = false,
): Promise<{ child: ChildProcess; match?: RegExpMatchArray }> {
  const log = openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn('taskset', ['-c', core, process.execPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])],
  });
  children.add(child);
  child.on('exit', () => {
    children.delete(child);
    closeSync(log);
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = !ready;
    if (!ready) resolve({ child });
    const timer = ready
      ? setTimeout(() => reject(new Error(`${name} not ready after 60 s; log in ${logDir}`)), 60_000)
      : undefined;
    const onData = (chunk: Buffer) => {
      writeSync(log, chunk);
      if (settled || !ready) return;
      output += chunk.toString('utf8');
      const match = output.match(ready);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!settled)
        reject(new Error(`${name} exited (${code ?? signal}) before it was ready; log in ${logDir}`));
    });
  });
}

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, every thread) a process has used, from /proc (Linux); null elsewhere.
 * The gateway is started through `taskset`, which execs node in the same process.
 */
function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime), counted here from field 3 (state).
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return null;
  }
}


// ---------------------------------------------------------------------------------------------
// Correctness: every response against the expected JSON.

class ResponseChecker {
  private readonly expectedText: string;
  /** Response texts already found equal to the expected JSON (key order may differ by gateway). */
  private readonly knownGood = new Set<string>();
  mismatches = 0;
  sample?: string;

  constructor(private readonly expected: unknown) {
    this.expectedText = JSON.stringify(expected);
  }

  check(status: number, body: string) {
    if (status === 200 && (body === this.expectedText || this.knownGood.has(body))) return;
    let equal: boolean;
    try {
      equal = status === 200 && isDeepStrictEqual(JSON.parse(body), this.expected);
    } catch {
      equal = false; // not JSON
    }
    if (equal) {
      if (this.knownGood.size < 16) this.knownGood.add(body);
      return;
    }
    this.mismatches += 1;
    this.sample ??= `HTTP ${status}: ${body.slice(0, 500)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Measurement.

interface Measurement {
  round: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  subgraphCallsPerResponse: number;
  /** CPU time the gateway process used per response in the measured run (all its threads). */
  cpuMsPerResponse: number | null;
}

interface SubgraphCounter {
  total(): Promise<number>;
}

/** A load run: for `seconds`, or (with `amount`) until exactly that many responses have arrived. */
async function load(
  url: string,
  query: BenchQuery,
  checker: ResponseChecker,
  run: { seconds: number } | { amount: number },
) {
  return autocannon({
    url,
    connections: settings.connections,
    ...('seconds' in run ? { duration: run.seconds } : { amount: run.amount }),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: query.query }),
        onResponse: (status, body) => checker.check(status, body),
      },
    ],
  });
}

async function postOnce(url: string, query: BenchQuery) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: query.query }),
  });
  return { status: response.status, body: await response.text() };
}

async function waitUntilServing(url: string, query: BenchQuery) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { status } = await postOnce(url, query);
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} does not answer`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits until the subgraphs stop receiving calls: a timed load run ends with requests still in
 * flight (autocannon drops them, the gateway finishes them), whose subgraph calls must not be
 * counted against the next step.
 */
async function untilQuiet(subgraphs: SubgraphCounter) {
  const deadline = Date.now() + 15_000;
  let last = await subgraphs.total();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await subgraphs.total();
    if (now === last) return;
    last = now;
  }
}

async function measureVariant(
  variant: Variant,
  queries: BenchQuery[],
  round: number,
  supergraphFile: string,
  subgraphs: SubgraphCounter,
): Promise<{
  measurements: Record<string, Measurement>;
  callsPerRequest: Record<string, number>;
  samples: Record<string, string>;
}> {
  const port = await freePort();
  const { child } = await startPinned(variant.id, GATEWAY_CORE, variant.args(port, supergraphFile), {
    NODE_ENV: 'production',
    BENCH_PORT: String(port),
    BENCH_SUPERGRAPH_FILE: supergraphFile,
    ...variant.env,
  });
  const url = variant.url(port);
  const measurements: Record<string, Measurement> = {};
  const callsPerRequest: Record<string, number> = {};
  const samples: Record<string, string> = {};
  try {
    await waitUntilServing(url, queries[0]!);
    for (const query of queries) {
      const checker = new ResponseChecker(expectedResponses[query.name]);
      // One request on its own: the plan's subgraph fetches with nothing to deduplicate against.
      await untilQuiet(subgraphs);
      const before = await subgraphs.total();
      const single = await postOnce(url, query);
      checker.check(single.status, single.body);
      callsPerRequest[query.name] = (await subgraphs.total()) - before;

      await load(url, query, checker, { seconds: settings.warmupSeconds });
      // Subgraph calls per response under load, counted exactly: a fixed number of requests at
      // full concurrency, all answered before the count is read (a timed run would cut requests
      // in flight at its end and skew the ratio).
      await untilQuiet(subgraphs);
      const countStart = await subgraphs.total();
      const counted = await load(url, query, checker, {
        amount: settings.connections * COUNTED_REQUESTS_PER_CONNECTION,
      });
      const calls = (await subgraphs.total()) - countStart;
      const cpuBefore = cpuSecondsOf(child.pid);
      const result = await load(url, query, checker, { seconds: settings.durationSeconds });
      const cpuAfter = cpuSecondsOf(child.pid);
      measurements[query.name] = {
        round,
        requestsPerSecond: Math.round(result.requests.total / result.duration),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        mismatches: checker.mismatches,
        subgraphCallsPerResponse: counted.requests.total
          ? Number((calls / counted.requests.total).toFixed(2))
          : 0,
        cpuMsPerResponse:
          cpuBefore !== null && cpuAfter !== null && result.requests.total
            ? Number((((cpuAfter - cpuBefore) * 1000) / result.requests.total).toFixed(2))
            : null,
      };
      if (checker.sample) samples[query.name] = checker.sample;
      const m = measurements[query.name]!;
      console.log(
        `  round ${round} ${variant.id.padEnd(22)} ${query.name.padEnd(14)} ${String(m.requestsPerSecond).padStart(6)} req/s` +
          `  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  CPU ${m.cpuMsPerResponse ?? '?'} ms/response  subgraph calls/response ${m.subgraphCallsPerResponse}` +
          (m.mismatches ? `  ⚠ ${m.mismatches} mismatches` : '') +
          (m.errors || m.non2xx ? `  ⚠ ${m.errors} errors, ${m.non2xx} non-2xx` : ''),
      );
    }
  } finally {
    await stopChild(child, 5_000);
  }
  return { measurements, callsPerRequest, samples };
}

// ---------------------------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

interface Row {
  gateway: string;
  label: string;
  query: string;
  requestsPerSecond: number;
  ratioToStock: number | null;
  p50Ms: number;
  p99Ms: number;
  subgraphCallsPerResponse: number;
  subgraphCallsPerSingleRequest: number;
  /** Median of the rounds. */
  cpuMsPerResponse: number | null;
  requests: number;
  errors: number;
  mismatches: number;
  rounds: Measurement[];
}

async function main() {
  const started = Date.now();
  // The load generator shares core 0 with the subgraphs; the gateway under test has core 1.
  if (os.cpus().length < 2) throw new Error('bench:gateway needs at least 2 CPU cores');
  execFileSync('taskset', ['-p', '-c', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });

  const selected =
    flags.gateways?.split(',') ?? variants.filter((v) => v.byDefault !== false).map((v) => v.id);
  const unknown = selected.filter((id) => !variants.some((variant) => variant.id === id));
  if (unknown.length)
    throw new Error(
      `unknown gateway(s) ${unknown.join(', ')}; known: ${variants.map((v) => v.id).join(', ')}`,
    );
  const chosen = variants.filter((variant) => selected.includes(variant.id));
  const queries = flags.queries
    ? benchQueries.filter((query) => flags.queries!.split(',').includes(query.name))
    : benchQueries;
  if (!queries.length)
    throw new Error(`no such query; known: ${benchQueries.map((query) => query.name).join(', ')}`);

  console.log(
    `bench:gateway: ${chosen.length} gateway(s) × ${queries.length} quer${queries.length === 1 ? 'y' : 'ies'} × ${settings.rounds} round(s); ` +
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured; logs in ${logDir}`,
  );

  const { child: subgraphProcess, match } = await startPinned(
    'subgraphs',
    LOAD_CORE,
    ['--import', 'tsx', path.join(__dirname, 'subgraphs', 'main.ts')],
    { NODE_ENV: 'production' },
    /^(\{"urls".*\})$/m,
    true,
  );
  const { urls } = JSON.parse(match![1]!) as { urls: Record<string, string> };
  const subgraphs: SubgraphCounter = {
    total: () =>
      new Promise((resolve) => {
        subgraphProcess.once('message', (message: { calls: Record<string, number> }) =>
          resolve(Object.values(message.calls).reduce((sum, calls) => sum + calls, 0)),
        );
        subgraphProcess.send({ type: 'calls' });
      }),
  };
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-'));
  const supergraphFile = path.join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeBenchSupergraph(urls));

  const rounds: Record<string, Record<string, Measurement[]>> = {};
  const singleCalls: Record<string, Record<string, number>> = {};
  const samples: Record<string, Record<string, string>> = {};
  try {
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const variant of chosen) {
        const outcome = await measureVariant(variant, queries, round, supergraphFile, subgraphs);
        for (const [query, measurement] of Object.entries(outcome.measurements)) {
          ((rounds[variant.id] ??= {})[query] ??= []).push(measurement);
        }
        singleCalls[variant.id] = outcome.callsPerRequest;
        if (Object.keys(outcome.samples).length)
          samples[variant.id] = { ...samples[variant.id], ...outcome.samples };
      }
    }
  } finally {
    await stopChild(subgraphProcess, 5_000);
    rmSync(workDir, { recursive: true, force: true });
  }

  const rows: Row[] = [];
  for (const query of queries) {
    const stockRps = rounds.stock?.[query.name]
      ? mean(rounds.stock[query.name]!.map((m) => m.requestsPerSecond))
      : undefined;
    for (const variant of chosen) {
      const measured = rounds[variant.id]?.[query.name] ?? [];
      if (!measured.length) continue;
      const rps = mean(measured.map((m) => m.requestsPerSecond));
      rows.push({
        gateway: variant.id,
        label: variant.label,
        query: query.name,
        requestsPerSecond: Math.round(rps),
        ratioToStock: stockRps ? Number((rps / stockRps).toFixed(2)) : null,
        p50Ms: median(measured.map((m) => m.p50Ms)),
        p99Ms: median(measured.map((m) => m.p99Ms)),
        subgraphCallsPerResponse: Number(mean(measured.map((m) => m.subgraphCallsPerResponse)).toFixed(2)),
        subgraphCallsPerSingleRequest: singleCalls[variant.id]?.[query.name] ?? 0,
        cpuMsPerResponse: measured.every((m) => m.cpuMsPerResponse !== null)
          ? Number(median(measured.map((m) => m.cpuMsPerResponse!)).toFixed(2))
          : null,
        requests: measured.reduce((sum, m) => sum + m.requests, 0),
        errors: measured.reduce((sum, m) => sum + m.errors + m.non2xx, 0),
        mismatches: measured.reduce((sum, m) => sum + m.mismatches, 0),
        rounds: measured,
      });
    }
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    gatewayCore: Number(GATEWAY_CORE),
    loadAndSubgraphCore: Number(LOAD_CORE),
    ...settings,
    durationOfRunSeconds: Math.round((Date.now() - started) / 1000),
  };
  const outBase = path.resolve(flags.out ?? path.join(repoRoot, 'bench', 'results', 'gateway'));
  mkdirSync(path.dirname(outBase), { recursive: true });
  writeFileSync(
    `${outBase}.json`,
    `${JSON.stringify(
      {
        benchmark: 'gateway',
        environment,
        gateways: chosen.map(({ id, label }) => ({ id, label })),
        queries: queries.map(({ name, description }) => ({ name, description })),
        rows,
        mismatchSamples: samples,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(`${outBase}.md`, markdown(rows, environment, queries));
  console.log(`\nwrote ${outBase}.json and .md in ${environment.durationOfRunSeconds} s`);
  const flagged = rows.filter((row) => row.mismatches || row.errors);
  if (flagged.length) {
    console.error(
      `⚠ mismatches or errors: ${flagged.map((row) => `${row.gateway}/${row.query}`).join(', ')}`,
    );
    process.exitCode = 1;
  }
}

function markdown(rows: Row[], environment: Record<string, unknown>, queries: BenchQuery[]) {
  const lines = [
    '# gateway',
    '',
    'Federation gateways side by side on the four-subgraph bench supergraph (`npm run bench:gateway`, issue 11).',
    `Each gateway alone on CPU core ${String(environment.gatewayCore)} (\`taskset\`); the four Node subgraphs and the load generator ` +
      `(autocannon, ${String(environment.connections)} connections) on core ${String(environment.loadAndSubgraphCore)}. ` +
      `${String(environment.rounds)} interleaved round(s), each ${String(environment.warmupSeconds)} s warm-up + ` +
      `${String(environment.durationSeconds)} s measured; requests/s is the mean of the rounds, p50/p99 the median of the rounds. ` +
      'Every response is compared with the expected JSON (bench/gateway/expected); *subgraph calls/response* is counted at the ' +
      'subgraphs over a fixed run of 2 requests per connection at full concurrency (in-flight deduplication lowers it); ' +
      '*single* is one request on its own; *gateway CPU ms/response* is the CPU time (user + system, all threads, from ' +
      '/proc) the gateway process used during the measured run divided by the responses, median of the rounds: less ' +
      'sensitive than requests/s to other load on the machine.',
    `${String(environment.cpus)}, Node ${String(environment.node)}, ${String(environment.date)}, load average ` +
      `${(environment.loadAverage as number[]).join(' ')} at the end.`,
    '',
  ];
  for (const query of queries) {
    lines.push(`## ${query.name}`, '', query.description, '');
    lines.push(
      '| gateway | requests/s | × stock | p50 (ms) | p99 (ms) | gateway CPU ms/response | subgraph calls/response | single | requests | errors | mismatches |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of rows.filter((r) => r.query === query.name)) {
      const flag = row.mismatches || row.errors ? ' ⚠' : '';
      lines.push(
        `| ${row.label}${flag} | ${row.requestsPerSecond} | ${row.ratioToStock ?? '–'} | ${row.p50Ms} | ${row.p99Ms} | ${row.cpuMsPerResponse ?? '–'} | ` +
          `${row.subgraphCallsPerResponse} | ${row.subgraphCallsPerSingleRequest} | ${row.requests} | ${row.errors} | ${row.mismatches} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const shutdown = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', shutdown);
process.on('SIGINT', () => {
  shutdown();
  process.exit(130);
});

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
