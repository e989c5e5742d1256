// CPU profile of our gateway under the bench load (issue 11, docs/performance.md).
//
//   node --import tsx bench/gateway/profile.ts [--seconds 10] [--query four-subgraph] [--out DIR] [ENV=value ...]
//   node --import tsx bench/gateway/profile.ts --summarize FILE.cpuprofile [--window S]
//
// Starts the bench subgraphs, composes the bench supergraph, starts our gateway
// (bench/gateway/gateways/ours.ts) with `node --cpu-prof` pinned to core 1 (extra ENV=value
// arguments go to the gateway, e.g. SUBGRAPH_DEDUP=false), puts autocannon load on it for the
// given seconds, stops it (the profile is written on exit) and prints the functions with the most
// self time, and the same grouped by package. The .cpuprofile opens in Chrome DevTools.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '@cloudmart/test-kit';
import { benchQueries } from './queries';
import { composeBenchSupergraph } from './supergraph';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '10' },
    query: { type: 'string', default: 'four-subgraph' },
    out: { type: 'string' },
    connections: { type: 'string', default: '50' },
    /** Only print the summary of an existing .cpuprofile. */
    summarize: { type: 'string' },
    /** With --summarize: only the last S seconds before shutdown. */
    window: { type: 'string' },
  },
});
const query = benchQueries.find((candidate) => candidate.name === flags.query);
if (!query) throw new Error(`unknown query ${flags.query}`);
const extraEnv = Object.fromEntries(
  positionals.map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function waitFor(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = output.match(pattern);
      if (match) resolve(match);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output.slice(-2000)}`)));
  });
}

/** Where a frame's code lives: a package name, node internals, or our own sources. */
function packageOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:internal/deps/undici')) return 'node: undici (global fetch)';
  if (url.startsWith('node:'))
    return `node: ${
      url
        .slice(5)
        .replace(/^internal\//, '')
        .split('/')[0]
    }`;
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const repo = url.indexOf('/work/');
  return repo >= 0
    ? url
        .slice(url.indexOf('/', repo + 6) + 1)
        .split('/')
        .slice(0, 3)
        .join('/')
    : url;
}

const frameName = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/[^/]+\//, '')}:${lineNumber + 1}` : ''}`;

/**
 * Self time by package and by function, and inclusive time by function (a function counted once
 * per stack), over the samples of the last `windowSeconds` before the process began to stop:
 * the measured load, without start-up (module loading) or the warm-up.
 */
function summarize(file: string, windowSeconds?: number) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // Sample times; the window ends 0.3 s before the last sample (shutdown).
  const times: number[] = [];
  let time = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((time += delta));
  const last = times[times.length - 1] ?? profile.endTime;
  const from = windowSeconds ? last - (windowSeconds + 0.3) * 1e6 : -Infinity;
  const to = windowSeconds ? last - 0.3e6 : Infinity;
  const hits = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    if (times[index]! < from || times[index]! > to) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    total += 1;
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const node = byId.get(id)!;
    const key = frameName(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    const pkg = packageOf(node.callFrame.url.replace(/^file:\/\//, ''));
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = frameName(byId.get(at)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + count);
    }
  }
  const top = (map: Map<string, number>, n: number, keep: (name: string) => boolean = () => true) =>
    [...map.entries()]
      .filter(([name]) => keep(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, count]) => `${((count / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  const interesting = (name: string) =>
    /gateway\/src|@apollo|express|router\/|body-parser|cors|undici|node-fetch|graphql\//.test(name);
  return (
    `${total} samples${windowSeconds ? ` in the last ${windowSeconds} s of load` : ''}\n\n` +
    `self time by package:\n${top(byPackage, 25)}\n\nself time by function:\n${top(byFunction, 30)}\n\n` +
    `inclusive time (gateway code, Apollo, express, fetch):\n${top(inclusive, 60, interesting)}\n`
  );
}

async function main() {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const outDir = flags.out ?? mkdtempSync(path.join(os.tmpdir(), 'gateway-profile-'));
  const subgraphs = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'subgraphs', 'main.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  try {
    const match = await waitFor(subgraphs, /^(\{"urls".*\})$/m);
    const { urls } = JSON.parse(match[1]!) as { urls: Record<string, string> };
    const supergraphFile = path.join(outDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, composeBenchSupergraph(urls));
    const port = await freePort();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const internal = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const gateway = spawn(
      'taskset',
      [
        '-c',
        '1',
        process.execPath,
        '--cpu-prof',
        '--cpu-prof-dir',
        outDir,
        '--import',
        'tsx',
        path.join(__dirname, 'gateways', 'ours.ts'),
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          BENCH_PORT: String(port),
          BENCH_SUPERGRAPH_FILE: supergraphFile,
          JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          PARTNER_KEY_PEPPER: randomBytes(24).toString('hex'),
          GATEWAY_TOKEN_PUBLIC_KEY: internal.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          GATEWAY_TOKEN_PRIVATE_KEY: internal.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const ready = await waitFor(gateway, /READY (\S+)/);
    const url = ready[1]!;
    const body = JSON.stringify({ query: query!.query });
    const run = (duration: number) =>
      autocannon({
        url,
        connections: Number(flags.connections),
        duration,
        requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, body }],
      });
    await run(2); // warm-up (JIT, plan cache)
    const result = await run(Number(flags.seconds));
    console.log(
      `${query!.name}: ${Math.round(result.requests.total / result.duration)} req/s, p50 ${result.latency.p50} ms, ` +
        `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
    // Node writes one profile per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): the
    // main thread's (thread 0), which serves the requests, is this run's; other threads (tsx's
    // loader, for one) are mostly idle.
    const file = readdirSync(outDir)
      .filter((name) => /\.0\.\d+\.cpuprofile$/.test(name))
      .sort((a, b) => statSync(path.join(outDir, b)).mtimeMs - statSync(path.join(outDir, a)).mtimeMs)[0];
    if (!file) throw new Error(`no profile written in ${outDir}`);
    console.log(`profile: ${path.join(outDir, file)}\n`);
    console.log(summarize(path.join(outDir, file), Number(flags.seconds)));
  } finally {
    subgraphs.kill('SIGTERM');
  }
}

const done = flags.summarize
  ? Promise.resolve(console.log(summarize(flags.summarize, flags.window ? Number(flags.window) : undefined)))
  : main();
done.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
