// npm run soak: the whole supergraph under a sustained mixed load and a schedule of faults, with
// the invariants checked at the end (issue 17). Results in bench/results/soak.md and soak.json.
//
// It starts every service in its own process as `npm start` does (./cluster.ts), on the
// Kafka protocol (librdkafka's mock cluster in its own process, so the bus can go away and come
// back) and with two gateway replicas; or, with GATEWAY_URL (comma-separated for several replicas),
// it only drives load at a supergraph already running, and checks what it can from outside.
// A separate process (./load.ts) drives the seeded workload and holds the subscribers.
//
//   npm run soak                 10 minutes (SOAK_MINUTES), every fault
//   npm run soak -- --quick      2 minutes, the same faults closer together
//   flags: --minutes N --rate R (requests/s offered) --shoppers N --seed S --out PATH (no extension)
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { repoRoot } from '@cloudmart/runtime';
import { scanTable } from '@cloudmart/test-kit';
import { percentile } from '../percentile';
import { rssOf, startCluster, type Cluster, type Managed, type ServiceProcess } from '@cloudmart/scripts/cluster';
import { writeWebManifest } from '@cloudmart/scripts/build';
import { collectGarbage } from './heap';
import {
  checkErrors,
  checkMemory,
  checkPayments,
  checkPendingPayment,
  checkStock,
  checkSubscribers,
  checkWarehouse,
  type FaultWindow,
  type LedgerRecord,
  type AfterCollectionSeries,
  type MemorySlopes,
  type OrderRecord,
  type PaymentRecord,
  type RssSeries,
  type WarehouseOrder,
} from './invariants';
import type { LoadPlan, LoadReport, Sample } from './samples';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    rate: { type: 'string' },
    shoppers: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
  },
});
const minutes = Number(flags.minutes ?? (flags.quick ? 2 : (process.env.SOAK_MINUTES ?? 10)));
const settings = {
  minutes,
  ratePerSecond: Number(flags.rate ?? 12),
  shoppers: Number(flags.shoppers ?? 200),
  products: 20,
  stockPerProduct: 60,
  seed: flags.seed ?? 'soak-1',
  gatewayReplicas: 2,
  /** After a fault's recovery, requests still in flight may fail: its window lasts this much longer. */
  settleMs: 10_000,
  busDownMs: 30_000,
  /** The bound on memory growth still going on at the end of the run (2 MiB/min ≈ 2.9 GB a day). */
  memoryBoundMiBPerMinute: 2,
  /** How often, in the second half, each Node service is made to collect fully and measured. */
  collectEveryMs: 30_000,
  /** The sweeper's give-up time (orders' PAYMENT_SWEEP_GIVE_UP_MS default) plus one sweep and a margin. */
  pendingWindowMs: 300_000 + 15_000 + 30_000,
};
const out = flags.out ? path.resolve(flags.out) : path.join(repoRoot, 'bench', 'results', 'soak');
const attachUrls = process.env.GATEWAY_URL?.split(',').map((url) => url.trim()).filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dataDir = path.join(repoRoot, '.data', 'soak', stamp);
const logDir = path.join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
const say = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------------------------------------

interface FaultRecord extends FaultWindow {
  minute: number;
  recoveredMs: number;
}

/** The partner: a manifest of two of the web client's operations, registered the way an operator does. */
function registerPartner(): LoadPlan['partner'] {
  // The storefront's manifest: generated (not committed), written afresh as `npm run build` does.
  const web = JSON.parse(readFileSync(writeWebManifest(), 'utf8')) as {
    format: string;
    version: number;
    operations: { id: string; name: string; type: string; body: string }[];
  };
  const operations = web.operations.filter((operation) => ['ProductPage', 'SearchProducts'].includes(operation.name));
  const manifest = path.join(dataDir, 'partner-manifest.json');
  writeFileSync(manifest, JSON.stringify({ ...web, operations }, null, 2));
  const key = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'register-partner.ts'), '--name', 'soak-partner', '--manifest', manifest], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  return { key, operations: operations.map(({ id, name }) => ({ id, name })) };
}

/** Memory of every process every 5 s; a process's series restarts with the process. */
function sampleMemory(processes: () => Managed[]) {
  const series = new Map<string, { starts: number; points: [number, number][]; all: [number, number][] }>();
  const timer = setInterval(() => {
    for (const managed of processes()) {
      const rss = rssOf(managed.pid());
      if (rss === undefined) continue;
      let entry = series.get(managed.name);
      if (!entry || entry.starts !== managed.starts) {
        entry = { starts: managed.starts, points: [], all: entry?.all ?? [] };
        series.set(managed.name, entry);
      }
      const point: [number, number] = [Date.now(), rss];
      entry.points.push(point);
      entry.all.push(point);
    }
  }, 5_000);
  return {
    stop: () => clearInterval(timer),
    series: (): RssSeries[] => [...series].map(([name, { points }]) => ({ name, points })),
    all: () => [...series].map(([name, { all }]) => ({ name, points: all })),
  };
}

/**
 * In the second half, every `everyMs`: each Node service collects fully (through its inspector)
 * and its RSS and heap are read right after. One service at a time, so the pauses do not stack.
 */
function sampleAfterCollection(services: () => ServiceProcess[], from: number, everyMs: number) {
  const series = new Map<string, { starts: number } & AfterCollectionSeries>();
  let stopped = false;
  const done = (async () => {
    if (Date.now() < from) await sleep(from - Date.now());
    while (!stopped) {
      const round = Date.now();
      for (const service of services()) {
        const url = service.inspectorUrl;
        if (stopped || !url) continue;
        const collected = await collectGarbage(url);
        const rss = rssOf(service.pid());
        if (!collected || rss === undefined) continue;
        let entry = series.get(service.name);
        if (!entry || entry.starts !== service.starts) {
          entry = { name: service.name, starts: service.starts, rss: [], heap: [] };
          series.set(service.name, entry);
        }
        const t = Date.now();
        entry.rss.push([t, rss]);
        entry.heap.push([t, collected.heapUsed]);
      }
      await sleep(Math.max(0, round + everyMs - Date.now()));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
    },
    series: (): AfterCollectionSeries[] => [...series.values()].map(({ name, rss, heap }) => ({ name, rss, heap })),
  };
}

async function metricValue(url: string, series: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  try {
    const text = await (await fetch(new URL('/metrics', url), { signal: AbortSignal.timeout(5_000) })).text();
    let total: number | undefined;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${series}{`) && !line.startsWith(`${series} `)) continue;
      if (!Object.entries(labels).every(([name, value]) => line.includes(`${name}="${value}"`))) continue;
      total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  } catch {
    return undefined;
  }
}

/** The faults, in order, each with what it does and how it recovers. */
function faultSchedule(cluster: Cluster) {
  const service = (name: string) => [...cluster.subgraphs, ...cluster.gateways].find((candidate) => candidate.name === name)!;
  const killAndRestart = (target: Managed, delayMs: number) => async () => {
    await target.kill();
    await sleep(delayMs); // as the kubelet restarts a crashed container
    await target.start();
  };
  const allReady = async () => {
    for (const managed of [...cluster.subgraphs, ...cluster.gateways]) {
      for (;;) {
        try {
          const response = await fetch(new URL('/ready', managed.url), { signal: AbortSignal.timeout(3_000) });
          if (response.ok) break;
        } catch {
          // not yet
        }
        await sleep(500);
      }
    }
  };
  return [
    ...['products', 'orders', 'payments', 'users', 'recommendations', 'support', 'insights'].map((name) => ({
      name: `SIGKILL ${name}`,
      run: killAndRestart(service(name), 1_000),
    })),
    {
      name: 'SIGKILL DynamoDB Local',
      run: async () => {
        await killAndRestart(cluster.dynamo, 1_000)();
        await allReady();
      },
    },
    {
      name: `event bus down ${settings.busDownMs / 1000} s`,
      run: async () => {
        await cluster.broker.setDown(true);
        await sleep(settings.busDownMs);
        await cluster.broker.setDown(false);
      },
    },
    { name: 'SIGKILL gateway-a (subscribers connected)', run: killAndRestart(service('gateway-a'), 3_000) },
  ];
}

async function waitQuiet(cluster: Cluster): Promise<string[]> {
  const orders = cluster.subgraphs.find((s) => s.name === 'orders')!;
  const insights = cluster.subgraphs.find((s) => s.name === 'insights')!;
  const deadline = Date.now() + settings.pendingWindowMs + 60_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    const pending = (await scanTable({ env: cluster.env() }, 'orders')).filter((order) => order.status === 'PENDING_PAYMENT').length;
    const backlog = await metricValue(orders.url, 'cloudmart_outbox_backlog_events');
    const warehouseLag = await metricValue(insights.url, 'cloudmart_event_consumer_lag_events', { group: 'insights-warehouse' });
    last = [`${pending} orders PENDING_PAYMENT`, `outbox backlog ${backlog}`, `warehouse lag ${warehouseLag}`];
    if (pending === 0 && backlog === 0 && (warehouseLag ?? 0) === 0) return [];
    await sleep(3_000);
  }
  return [`the system did not settle within ${Math.round((settings.pendingWindowMs + 60_000) / 1000)} s: ${last.join(', ')}`];
}

async function readWarehouse(file: string, userIds: string[]): Promise<WarehouseOrder[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const users = new Set(userIds);
    const reader = await connection.runAndReadAll(
      `SELECT o.order_id, o.user_id, o.total, list(s.status ORDER BY s.status) AS statuses
       FROM orders o LEFT JOIN status_changes s ON s.order_id = o.order_id
       GROUP BY o.order_id, o.user_id, o.total`,
    );
    return reader
      .getRowObjectsJS()
      .filter((row) => users.has(String(row.user_id)))
      .map((row) => ({
        orderId: String(row.order_id),
        total: Number(row.total),
        statuses: ((row.statuses as unknown[] | null) ?? []).filter((status) => status !== null).map(String),
      }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// ---------------------------------------------------------------------------------------------

let cluster: Cluster | undefined;
let load: ChildProcess | undefined;

async function main() {
  say(`data and logs in ${path.relative(repoRoot, dataDir)}`);
  const partner = attachUrls ? { key: process.env.SOAK_PARTNER_KEY ?? '', operations: [] } : registerPartner();
  if (!attachUrls) {
    say('starting DynamoDB Local, the broker, every subgraph and two gateway replicas…');
    const started = Date.now();
    cluster = await startCluster({
      dataDir,
      logDir,
      gatewayReplicas: settings.gatewayReplicas,
      env: { SEED_DEMO_DATA: 'true', SEED_PRODUCT_COUNT: '300', SEED_ORDER_COUNT: '300' },
      inspect: true,
    });
    say(`started in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const memory = sampleMemory(() => cluster?.all() ?? []);
  const gatewayUrls = attachUrls ?? cluster!.gateways.map((gateway) => gateway.url);
  const plan: LoadPlan = {
    seed: settings.seed,
    gatewayUrls,
    durationMs: settings.minutes * 60_000,
    ratePerSecond: settings.ratePerSecond,
    shoppers: settings.shoppers,
    products: settings.products,
    stockPerProduct: settings.stockPerProduct,
    shopperPassword: 'soak-password-123',
    adminEmail: process.env.ADMIN_EMAIL ?? 'admin@cloudmart.local',
    adminPassword: process.env.ADMIN_PASSWORD ?? 'admin-password',
    partner,
    requestTimeoutMs: 30_000,
    finalWaitMs: 5_000,
    samplesFile: path.join(dataDir, 'samples.jsonl'),
  };
  const loadProcess = fork(path.join(__dirname, 'load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SOAK_LOAD_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  load = loadProcess;
  const messages: { type: string; [key: string]: unknown }[] = [];
  loadProcess.on('message', (message: { type: string }) => messages.push(message));
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((message) => message.type === type);
      if (found) return found;
      if (loadProcess.exitCode !== null) throw new Error(`the load process exited (${loadProcess.exitCode}) before '${type}'`);
      await sleep(100);
    }
  };
  say(`setting up ${settings.shoppers} shoppers with subscribers and ${settings.products} products…`);
  const ready = (await next('ready')) as unknown as { shoppers: string[]; products: string[]; stockPerProduct: number };
  const driveStart = Date.now();
  const afterCollection = sampleAfterCollection(
    () => (cluster ? [...cluster.subgraphs, ...cluster.gateways] : []),
    driveStart + (settings.minutes * 60_000) / 2,
    settings.collectEveryMs,
  );
  say(`driving ${settings.ratePerSecond} requests/s for ${settings.minutes} min`);

  const faults: FaultRecord[] = [];
  const faultsDone = (async () => {
    if (!cluster) return;
    const schedule = faultSchedule(cluster);
    const durationMs = settings.minutes * 60_000;
    for (const [index, fault] of schedule.entries()) {
      // Between 5 % and 45 % of the run: the second half is left to steady load, where memory is judged.
      const at = driveStart + durationMs * 0.05 + (index * durationMs * 0.4) / (schedule.length - 1);
      if (Date.now() < at) await sleep(at - Date.now());
      const from = Date.now();
      say(`fault: ${fault.name}`);
      await fault.run();
      const recovered = Date.now();
      say(`recovered from ${fault.name} in ${((recovered - from) / 1000).toFixed(1)} s`);
      faults.push({ name: fault.name, from, to: recovered + settings.settleMs, minute: (from - driveStart) / 60_000, recoveredMs: recovered - from });
    }
  })();

  const driven = (await next('driven')) as unknown as { offered: number; sent: number; shed: number };
  const drivenAt = Date.now();
  await faultsDone;
  say('load done; waiting for the system to settle (outbox sent, payments settled, warehouse caught up)…');
  const settleProblems = cluster ? await waitQuiet(cluster) : [];
  loadProcess.send({ type: 'finish' });
  const { report } = (await next('report')) as unknown as { report: LoadReport };
  memory.stop();
  await afterCollection.stop();

  const samples: Sample[] = readFileSync(plan.samplesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Sample);
  const runSamples = samples.filter((sample) => sample.t >= driveStart && !sample.op.startsWith('setup:'));

  // The stores, read straight, and the warehouse once insights has stopped.
  const invariants: { name: string; violations: string[]; note?: string }[] = [];
  let longestPendingMs = 0;
  let subscriberStats = { viaEvent: 0, viaSnapshot: 0 };
  if (cluster) {
    const env = { env: cluster.env() };
    const shopperIds = new Set(ready.shoppers);
    const orders = (await scanTable(env, 'orders')).map((item) => item as unknown as OrderRecord);
    const runOrders = orders.filter((order) => shopperIds.has(order.userId));
    const soakProducts = new Set(ready.products);
    const products = (await scanTable(env, 'products'))
      .filter((item) => soakProducts.has(String(item.id)))
      .map((item) => ({ id: String(item.id), stock: Number(item.stock) }));
    const payments = (await scanTable(env, 'payments')).map((item) => item as unknown as PaymentRecord);
    const ledger = (await scanTable(env, 'paymentLedger')).map((item) => item as unknown as LedgerRecord);
    invariants.push({
      name: 'no process died on its own (the harness restarts those too, as the kubelet would)',
      violations: cluster.unplannedExits.map(
        (exit) =>
          `${exit.name} exited (${exit.code ?? exit.signal}) at minute ${((exit.at - driveStart) / 60_000).toFixed(1)}${exit.restartedAt ? `, back ${((exit.restartedAt - exit.at) / 1000).toFixed(0)} s later` : ', not back'}`,
      ),
    });
    say('stopping the services to read the warehouse…');
    for (const gateway of cluster.gateways) await gateway.stop();
    for (const subgraph of cluster.subgraphs) await subgraph.stop();
    const warehouse = await readWarehouse(path.join(dataDir, 'insights', 'warehouse.duckdb'), ready.shoppers);
    // For post-mortems: what the load saw and what the stores held, beside the logs.
    writeFileSync(path.join(dataDir, 'load-report.json'), JSON.stringify(report));
    writeFileSync(path.join(dataDir, 'memory.json'), JSON.stringify({ rss: memory.all(), afterCollection: afterCollection.series() }));
    writeFileSync(path.join(dataDir, 'run-orders.json'), JSON.stringify({ orders: runOrders, payments, warehouse, faults }));
    await cluster.broker.stop();
    await cluster.dynamo.stop();

    invariants.push({ name: 'no oversell, no lost reservation (stock = stock now + units held)', violations: checkStock(products, ready.stockPerProduct, orders) });
    invariants.push({ name: 'every paid order: one authorised payment, ledger balanced', violations: checkPayments(runOrders, payments, ledger) });
    const pending = checkPendingPayment(runOrders, settings.pendingWindowMs);
    longestPendingMs = pending.longestMs;
    invariants.push({
      name: `no order left PENDING_PAYMENT, none longer than ${settings.pendingWindowMs / 1000} s`,
      violations: [...settleProblems, ...pending.violations],
    });
    invariants.push({ name: 'every order event reached the warehouse once', violations: checkWarehouse(runOrders, warehouse) });
    const subscribers = checkSubscribers(runOrders, report);
    subscriberStats = subscribers;
    invariants.push({ name: 'every subscriber saw PAID for each of its shopper’s paid orders', violations: subscribers.violations });
  } else {
    invariants.push({ name: 'store invariants', violations: [], note: 'not checked: attached to a running supergraph (GATEWAY_URL), whose stores the soak cannot read' });
  }
  const windows: FaultWindow[] = faults;
  invariants.push({ name: 'errors: none outside the fault windows; coded, with the rest of the data, inside them', violations: checkErrors(runSamples, windows) });
  const secondHalfFrom = driveStart + (drivenAt - driveStart) / 2;
  const memoryCheck = checkMemory(memory.series(), secondHalfFrom, settings.memoryBoundMiBPerMinute, afterCollection.series());
  invariants.push({
    name: `no process's memory keeps growing over the fault-free second half (a Node service: its RSS after full collections rises ≤ ${settings.memoryBoundMiBPerMinute} MiB/min; another process: not still rising at the end, > ${settings.memoryBoundMiBPerMinute} MiB/min both by its per-minute floor and over the last 2 minutes)`,
    violations: memoryCheck.violations,
  });

  writeReport({ plan, driven, driveStart, drivenAt, runSamples, faults, invariants, report, memory: memory.all(), slopes: memoryCheck.slopes, longestPendingMs, subscriberStats });
  const failed = invariants.filter((invariant) => invariant.violations.length > 0);
  say(failed.length === 0 ? 'every invariant held' : `${failed.length} invariant(s) violated: see ${path.relative(repoRoot, out)}.md`);
  process.exit(failed.length === 0 ? 0 : 1);
}

// ---------------------------------------------------------------------------------------------

interface ReportInput {
  plan: LoadPlan;
  driven: { offered: number; sent: number; shed: number };
  driveStart: number;
  drivenAt: number;
  runSamples: Sample[];
  faults: FaultRecord[];
  invariants: { name: string; violations: string[]; note?: string }[];
  report: LoadReport;
  memory: RssSeries[];
  slopes: Record<string, MemorySlopes | null>;
  longestPendingMs: number;
  subscriberStats: { viaEvent: number; viaSnapshot: number };
}

function writeReport(input: ReportInput) {
  const { plan, driven, runSamples, faults, invariants, report, memory, slopes } = input;
  const seconds = (input.drivenAt - input.driveStart) / 1000;
  const answered = runSamples.filter((sample) => typeof sample.status === 'number');
  const byOp = new Map<string, Sample[]>();
  for (const sample of runSamples) byOp.set(sample.op, [...(byOp.get(sample.op) ?? []), sample]);
  const inWindow = (sample: Sample) => faults.some((fault) => sample.t <= fault.to && sample.t + sample.ms >= fault.from);
  const codeCounts = (samples: Sample[]) => {
    const counts = new Map<string, number>();
    for (const sample of samples) {
      const codes = sample.codes.length ? sample.codes : typeof sample.status === 'number' ? [] : [sample.status];
      for (const code of new Set(codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`).join(', ') || '—';
  };
  const mib = (bytes: number | undefined) => (bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(0));
  const at = (points: [number, number][], fraction: number) => points[Math.min(points.length - 1, Math.floor((points.length - 1) * fraction))]?.[1];
  const reconnected = report.shoppers.filter((shopper) => shopper.connections > 1).length;
  const lines = [
    '# Soak: the whole supergraph under mixed load and faults',
    '',
    'Generated by `npm run soak` (bench/soak/run.ts). Every service in its own process as `npm start` runs them, on the',
    'Kafka protocol (librdkafka’s mock cluster in its own process) with two gateway replicas; the load from a separate',
    'process (bench/soak/load.ts): the web client’s persisted operations in a seeded open-loop mix, and one graphql-ws',
    'subscriber on `myOrderUpdates` per shopper, held open throughout.',
    '',
    '## Setup',
    '',
    `- ${new Date(input.driveStart).toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; every process on the same cores, unpinned, the load process included.`,
    `- ${seconds.toFixed(0)} s of load at ${plan.ratePerSecond} requests/s offered (Poisson arrivals, seed \`${plan.seed}\`); ${plan.shoppers} shoppers, each with a subscriber; ${plan.products} soak products of ${plan.stockPerProduct} units; a demo catalog of 300 products and 300 seeded orders.`,
    `- Mix: browsing 60 % (Home 14, SearchProducts 22, ProductPage 19, a partner’s persisted queries 5), sign-up and log-in 5 %, cart and checkout 20 % (tok_visa 80 %, tok_chargeDeclined 15 %, tok_insufficientFunds 5 %; a retryable failure retried once with the same idempotency key), order history and support 10 %, admin insights 5 %.`,
    `- Defaults everywhere else (NODE_ENV=development, DynamoDB Local on disk, PGlite for users, DuckDB for insights, local support and recommendation engines).`,
    '',
    '## Throughput',
    '',
    `- Offered: ${driven.offered} operations (${(driven.offered / seconds).toFixed(1)}/s); sent ${driven.sent}, shed ${driven.shed} (over ${256} in flight).`,
    `- Requests answered: ${answered.length} (${(answered.length / seconds).toFixed(1)}/s; a checkout is two or three requests, so requests outnumber operations).`,
    `- Subscribers: ${report.shoppers.length}; ${reconnected} reconnected at least once; ${report.subscriptionErrors} subscription errors. Paid orders seen by event: ${input.subscriberStats.viaEvent}, only in a snapshot after a reconnect: ${input.subscriberStats.viaSnapshot}.`,
    `- Longest time an order spent PENDING_PAYMENT: ${(input.longestPendingMs / 1000).toFixed(1)} s.`,
    '',
    '| operation | requests | p50 ms | p99 ms | errors by code (outside fault windows) | errors by code (inside) |',
    '|---|---:|---:|---:|---|---|',
    ...[...byOp]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([op, list]) => {
        const ms = list.map((sample) => sample.ms).sort((a, b) => a - b);
        return `| ${op} | ${list.length} | ${percentile(ms, 50)} | ${percentile(ms, 99)} | ${codeCounts(list.filter((s) => !inWindow(s)))} | ${codeCounts(list.filter(inWindow))} |`;
      }),
    '',
    '## Faults',
    '',
    '| minute | fault | back (s) |',
    '|---:|---|---:|',
    ...faults.map((fault) => `| ${fault.minute.toFixed(1)} | ${fault.name} | ${(fault.recoveredMs / 1000).toFixed(1)} |`),
    '',
    `Each fault’s window runs from the fault to the recovery plus ${settings.settleMs / 1000} s; the harness restarts what it killed after 1 s (a gateway after 3 s), as the kubelet would.`,
    '',
    '## Invariants',
    '',
    ...invariants.flatMap((invariant) => [
      `- ${invariant.violations.length === 0 ? (invariant.note ? '–' : '✓') : '✗'} ${invariant.name}${invariant.note ? `: ${invariant.note}` : ''}${invariant.violations.length ? ` — ${invariant.violations.length} violation(s):` : ''}`,
      ...invariant.violations.slice(0, 20).map((violation) => `  - ${violation}`),
      ...(invariant.violations.length > 20 ? [`  - … and ${invariant.violations.length - 20} more`] : []),
    ]),
    '',
    '## Memory (RSS, MiB)',
    '',
    `RSS sampled every 5 s. The faults all happen in the first half; the second is judged from a minute after each process last started. Every ${settings.collectEveryMs / 1000} s in the second half, each Node service is made to collect fully (HeapProfiler.collectGarbage through its inspector, one service at a time, a pause of up to a second each) and its RSS and V8 heap are read right after: what remains then is what it holds. A Node service keeps growing when its RSS after those collections rises more than ${settings.memoryBoundMiBPerMinute} MiB/min (least squares; ≈ ${((settings.memoryBoundMiBPerMinute * 1440) / 1024).toFixed(1)} GiB a day). Its RSS alone is no measure here: V8's saw-tooth between collections has a period of minutes under this load, as long as the judged span, and an earlier rule on RSS alone flagged a different process each run by the phase of its teeth. A process without an inspector (DynamoDB Local's JVM, the broker) keeps growing when it is still rising at the end: both the slope of its per-minute floor over the second half and of its samples over the last two minutes exceed the bound. A process with fewer than three judged minutes (restarted late, or a short run) is not judged (—).`,
    '',
    '| process | start | middle | end | after full collections: RSS slope (MiB/min) | heap slope (MiB/min) | RSS floor slope (MiB/min) | last-2-min slope (MiB/min) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...memory.map(({ name, points }) => {
      const slope = slopes[name];
      const fixed = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));
      return `| ${name} | ${mib(at(points, 0))} | ${mib(at(points, 0.5))} | ${mib(at(points, 1))} | ${fixed(slope?.afterCollection?.rss)} | ${fixed(slope?.afterCollection?.heap)} | ${fixed(slope?.secondHalf)} | ${fixed(slope?.tail)} |`;
    }),
    '',
  ];
  const findings = path.join(__dirname, 'findings.md');
  try {
    lines.push(readFileSync(findings, 'utf8'));
  } catch {
    // no findings written yet
  }
  writeFileSync(`${out}.md`, `${lines.join('\n')}\n`);
  writeFileSync(
    `${out}.json`,
    `${JSON.stringify({ settings, driven, faults, invariants, seconds, subscribers: { count: report.shoppers.length, reconnected, ...input.subscriberStats } }, null, 2)}\n`,
  );
}

main().catch(async (error: unknown) => {
  console.error(error);
  load?.kill('SIGKILL');
  await cluster?.stop().catch(() => undefined);
  process.exit(1);
});
