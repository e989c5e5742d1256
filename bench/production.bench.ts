// The compiled production form against the development form: every service (the seven subgraphs
// and the gateway) started from TypeScript through tsx, and from `npm run build`'s bundles with
// plain node (scripts/service-command.ts says how each form starts), on the embedded defaults
// (a fresh DynamoDB Local and DATA_DIR per run: PGlite, the file event bus).
// For each form: each service's start time (spawn → /ready 200; started one after another),
// its RSS once the whole supergraph is ready, and requests/s of the web client's ProductPage
// query through the gateway (autocannon). The forms alternate over ROUNDS rounds so that a change
// in the machine's load colours both. Writes bench/results/production.{json,md}.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startDynamoDbLocal } from '@cloudmart/test-kit';
import { dataOf, eventually, makeTempDir, postGraphQL } from '@cloudmart/test-kit';
import { buildServices, writeWebManifest } from '@cloudmart/scripts/build';
import { startFleet } from '@cloudmart/scripts/service-fleet';
import type { ServiceForm } from '@cloudmart/scripts/service-command';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const DURATION_S = Number(process.env.DURATION_S ?? 15);
const CONNECTIONS = 10;
const root = path.join(__dirname, '..');
// The storefront's manifest: generated (not committed), written afresh as `npm run build` does.
const productPage = (
  JSON.parse(readFileSync(writeWebManifest(), 'utf8')) as {
    operations: { name: string; body: string }[];
  }
).operations.find((operation) => operation.name === 'ProductPage')!;

interface Run {
  form: ServiceForm;
  round: number;
  /** Spawn → /ready, per service, ms. */
  startMs: Record<string, number>;
  /** Sum of the per-service start times: the supergraph started one service at a time. */
  totalStartMs: number;
  /** Resident set size once every service was ready, per service, MiB. */
  rssMiB: Record<string, number>;
  totalRssMiB: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  loadAverage: { before: number[]; after: number[] };
}

const rssMiB = (pid: number) => {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kib / 1024);
};
const load = () => os.loadavg().map((value) => Number(value.toFixed(2)));

async function measure(form: ServiceForm, round: number): Promise<Run> {
  const loadBefore = load();
  const data = makeTempDir(`bench-production-${form}`);
  const dynamo = await startDynamoDbLocal();
  try {
    const fleet = await startFleet(form, {
      // Both forms in development mode (generated keys, embedded stores): the form is what differs.
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: data.dir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SEED_DEMO_DATA: 'true',
      SEED_PRODUCT_COUNT: '200',
      SEED_ORDER_COUNT: '50',
    });
    try {
      const rss = Object.fromEntries(
        fleet.services.map((service) => [service.name, rssMiB(service.process.pid!)]),
      );
      const productId = await eventually(async () => {
        const listing = await postGraphQL<{ products: { edges: { node: { id: string } }[] } }>(
          fleet.gatewayUrl,
          '{ products(first: 1) { edges { node { id } } } }',
        );
        const id = dataOf(listing).products.edges[0]?.node.id;
        if (!id) throw new Error('no product seeded yet');
        return id;
      }, 180_000);
      const body = JSON.stringify({
        query: productPage.body,
        variables: { id: productId },
        operationName: 'ProductPage',
      });
      const check = await postGraphQL(fleet.gatewayUrl, productPage.body, { id: productId });
      dataOf(check);
      const options = {
        url: fleet.gatewayUrl,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body,
        connections: CONNECTIONS,
      };
      await autocannon({ ...options, duration: 3 }); // warm-up: JIT, connection pools, caches
      const result = await autocannon({ ...options, duration: DURATION_S });
      const startMs = Object.fromEntries(fleet.services.map((service) => [service.name, service.readyMs]));
      return {
        form,
        round,
        startMs,
        totalStartMs: Object.values(startMs).reduce((sum, ms) => sum + ms, 0),
        rssMiB: rss,
        totalRssMiB: Object.values(rss).reduce((sum, mib) => sum + mib, 0),
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors + result.non2xx,
        loadAverage: { before: loadBefore, after: load() },
      };
    } finally {
      await fleet.stop();
    }
  } finally {
    await dynamo.stop();
    data.remove();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

async function main() {
  const buildStarted = Date.now();
  const built = await buildServices();
  const buildMs = Date.now() - buildStarted;
  const bundleKiB = Object.fromEntries(
    built.map((result) => [
      path.basename(result.packageDir),
      Math.round(
        result.outputs.filter((o) => o.file.endsWith('index.js')).reduce((sum, o) => sum + o.bytes, 0) / 1024,
      ),
    ]),
  );
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const form of ['dev', 'compiled'] as const) {
      console.log(`round ${round}: ${form}…`);
      const run = await measure(form, round);
      console.log(
        `  start ${run.totalStartMs} ms, RSS ${run.totalRssMiB} MiB, ${run.requestsPerSecond} req/s (load ${run.loadAverage.before.join(' ')})`,
      );
      runs.push(run);
    }
  }
  const services = Object.keys(runs[0]!.startMs);
  const summary = (form: ServiceForm) => {
    const mine = runs.filter((run) => run.form === form);
    return {
      startMs: Object.fromEntries(
        services.map((name) => [name, median(mine.map((run) => run.startMs[name]!))]),
      ),
      totalStartMs: median(mine.map((run) => run.totalStartMs)),
      rssMiB: Object.fromEntries(
        services.map((name) => [name, median(mine.map((run) => run.rssMiB[name]!))]),
      ),
      totalRssMiB: median(mine.map((run) => run.totalRssMiB)),
      requestsPerSecond: median(mine.map((run) => run.requestsPerSecond)),
    };
  };
  const dev = summary('dev');
  const compiled = summary('compiled');
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    setup: {
      rounds: ROUNDS,
      durationS: DURATION_S,
      connections: CONNECTIONS,
      seedProducts: 200,
      query: 'ProductPage (web/persisted-query-manifest.json)',
    },
    build: { ms: buildMs, bundleKiB },
    dev,
    compiled,
    runs,
  };
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'production.json'), `${JSON.stringify(results, null, 2)}\n`);

  const pct = (a: number, b: number) => `${b > a ? '+' : ''}${Math.round(((b - a) / a) * 100)} %`;
  const rows = services
    .map(
      (name) =>
        `| ${name} | ${dev.startMs[name]} | ${compiled.startMs[name]} | ${dev.rssMiB[name]} | ${compiled.rssMiB[name]} |`,
    )
    .join('\n');
  const md = `# Production form: tsx versus compiled services

Generated by \`npm run bench -- production\` (bench/production.bench.ts) on ${results.date.slice(0, 10)}.

**Setup.** ${results.machine.cpus} cores (${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; the machine is
shared with other sessions' builds and tests, so the load average is given beside each run. Each run starts a fresh
DynamoDB Local and DATA_DIR (PGlite, file event bus), then the seven subgraphs one after another in supergraph.yaml's
order and the gateway, all in the form measured (\`dev\`: \`node --import tsx <package>/src/index.ts\`; \`compiled\`:
\`node --enable-source-maps <package>/dist/index.js\`, scripts/service-command.ts), with ${results.setup.seedProducts} seeded products.
*Start* is spawn → the service's \`/ready\` answering 200; *RSS* is read from /proc once the whole supergraph is ready
(the products and orders seeders may still run); *requests/s* is autocannon, ${CONNECTIONS} connections, ${DURATION_S} s after a 3 s
warm-up, POSTing the web client's ProductPage query (products, users for review authors, through the gateway).
Medians over ${ROUNDS} round(s), forms alternating. Build: ${(buildMs / 1000).toFixed(1)} s for all ${built.length} bundles.

| | dev (tsx) | compiled | change |
|---|---|---|---|
| start, whole supergraph (sum of services) | ${(dev.totalStartMs / 1000).toFixed(1)} s | ${(compiled.totalStartMs / 1000).toFixed(1)} s | ${pct(dev.totalStartMs, compiled.totalStartMs)} |
| RSS after start, all services | ${dev.totalRssMiB} MiB | ${compiled.totalRssMiB} MiB | ${pct(dev.totalRssMiB, compiled.totalRssMiB)} |
| ProductPage requests/s through the gateway | ${dev.requestsPerSecond} | ${compiled.requestsPerSecond} | ${pct(dev.requestsPerSecond, compiled.requestsPerSecond)} |

Per service (medians):

| service | start dev (ms) | start compiled (ms) | RSS dev (MiB) | RSS compiled (MiB) |
|---|---|---|---|---|
${rows}

Runs:

| round | form | start (s) | RSS (MiB) | req/s | p50 / p99 (ms) | errors | load average before → after |
|---|---|---|---|---|---|---|---|
${runs.map((run) => `| ${run.round} | ${run.form} | ${(run.totalStartMs / 1000).toFixed(1)} | ${run.totalRssMiB} | ${run.requestsPerSecond} | ${run.p50Ms} / ${run.p99Ms} | ${run.errors} | ${run.loadAverage.before.join(' ')} → ${run.loadAverage.after.join(' ')} |`).join('\n')}
`;
  writeFileSync(path.join(outDir, 'production.md'), md);
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
