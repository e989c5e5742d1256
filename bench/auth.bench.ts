// Sign-up and log-in through the gateway (npm run bench -- auth): what password hashing costs on
// this machine, and what the users subgraph serves with it.
//
// 1. argon2id parameter sets, measured in this process before any server starts: ms per
//    verification one at a time, and verifications per second with the pool's concurrency.
// 2. signUp and logIn per second at 1, 10, 50 and 100 concurrent callers, with p50/p99 and every
//    answer counted by code and HTTP status. The users subgraph and the gateway run as separate
//    processes (as `npm start` and Kubernetes run them) and the callers in this one: in one process
//    the callers' and the gateway's JavaScript would share the event loop the users subgraph needs,
//    and the numbers would say more about that than about hashing. Callers honour Retry-After, as
//    a well-behaved client does; each is a client address of its own and logs in to an account of
//    its own with the right password, so the failed-log-in limits never engage.
//
// Writes bench/results/auth.{json,md}. Environment variables (PASSWORD_*, LOGIN_*, DATABASE_URL,
// UV_THREADPOOL_SIZE) pass through to the users subgraph; AUTH_BENCH_SECONDS sets each level's length.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { repoRoot } from '@cloudmart/runtime';
import { freePort, makeTempDir, postGraphQLWithHeaders } from '@cloudmart/test-kit';
import { stopChild } from '@cloudmart/scripts/processes';
import { loadUsersConfig } from '@cloudmart/users/config';
import { percentile } from './percentile';

const LEVELS = [1, 10, 50, 100];
const LEVEL_SECONDS = Number(process.env.AUTH_BENCH_SECONDS ?? 10);
const PASSWORD = 'bench-password-123';
const TARGET_LOGINS_PER_SECOND = 40;

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
const LOG_IN = 'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }';

// ---------------------------------------------------------------------------------------------
// 1. Parameter sets.

interface ParameterRow {
  name: string;
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
  /** One verification at a time, mean. */
  msPerVerify: number;
  /** Verifications per second with `concurrency` at a time. */
  verifiesPerSecond: number;
}

const PARAMETER_SETS = [
  { name: 'OWASP minimum', memoryKiB: 19_456, timeCost: 2, parallelism: 1 },
  { name: 'minimum memory, 3 passes', memoryKiB: 19_456, timeCost: 3, parallelism: 1 },
  { name: '24 MiB, 2 passes', memoryKiB: 24_576, timeCost: 2, parallelism: 1 },
  { name: '31 MiB, 2 passes', memoryKiB: 31_744, timeCost: 2, parallelism: 1 },
  { name: 'OWASP 46 MiB, 1 pass (t below our floor)', memoryKiB: 47_104, timeCost: 1, parallelism: 1 },
  { name: "node-argon2's defaults (before)", memoryKiB: 65_536, timeCost: 3, parallelism: 4 },
];

async function measureParameters(concurrency: number): Promise<ParameterRow[]> {
  const rows: ParameterRow[] = [];
  // The process's first hashes are slower (the allocator and the thread pool warming up): paid
  // here, not by the first set measured.
  const warmUp = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  for (let i = 0; i < 10; i++) await Promise.all([argon2.verify(warmUp, PASSWORD), argon2.verify(warmUp, PASSWORD)]);
  for (const set of PARAMETER_SETS) {
    const options: argon2.HashOptions = { type: argon2.argon2id, memoryCost: set.memoryKiB, timeCost: set.timeCost, parallelism: set.parallelism };
    const hash = await argon2.hash(PASSWORD, options);
    for (let i = 0; i < 2; i++) await argon2.verify(hash, PASSWORD);
    const sequential = 8;
    let started = performance.now();
    for (let i = 0; i < sequential; i++) await argon2.verify(hash, PASSWORD);
    const msPerVerify = (performance.now() - started) / sequential;
    // At least ~3 s or 16 verifications at the pool's concurrency.
    const total = Math.max(16, Math.ceil((3_000 / msPerVerify) * concurrency));
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < total) await argon2.verify(hash, PASSWORD);
      }),
    );
    const verifiesPerSecond = total / ((performance.now() - started) / 1000);
    rows.push({ ...set, msPerVerify: round(msPerVerify), verifiesPerSecond: round(verifiesPerSecond) });
    console.log(`  ${set.name}: ${round(msPerVerify)} ms per verify, ${round(verifiesPerSecond)}/s at ${concurrency} at a time`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. Through the gateway.

const children: ChildProcess[] = [];

/** CPU time a process has used so far, in ms (Linux /proc; utime + stime at 100 ticks a second). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // fields 14 and 15 of stat(5)
}

/** `node --import tsx <entry>` with `env`; resolves once `readyUrl` answers 200. */
async function startService(name: string, entry: string, env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up (${child.exitCode})`);
    const ready = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ready) return child;
    await sleep(250);
  }
  throw new Error(`${name} was not ready within 90 s`);
}

interface LevelRow {
  operation: 'signUp' | 'logIn';
  /** False for callers that send again at once after a 503 (a client that ignores Retry-After). */
  honoursRetryAfter: boolean;
  concurrency: number;
  /** Successful operations per second over the level. */
  perSecond: number;
  succeeded: number;
  /** Of successful operations, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Of refused ones (SERVICE_OVERLOADED), ms: how fast a refusal comes back. */
  refusedP99Ms: number | null;
  /** Every answer by `code (HTTP status)`, 'ok (200)' for a success. */
  outcomes: Record<string, number>;
  /** 503/429 answers without a Retry-After header (should be 0). */
  missingRetryAfter: number;
  /** CPU ms per successful operation, by process: where the machine's time went. */
  cpuMsPerOperation: Record<string, number>;
}

/** The processes whose CPU time is measured, by name. */
const measured = new Map<string, number>();

async function runLevel(
  gatewayUrl: string,
  operation: LevelRow['operation'],
  concurrency: number,
  variablesFor: (caller: number, iteration: number) => Record<string, unknown>,
  honoursRetryAfter = true,
): Promise<LevelRow> {
  const succeeded: number[] = [];
  const refused: number[] = [];
  const outcomes: Record<string, number> = {};
  let missingRetryAfter = 0;
  const query = operation === 'signUp' ? SIGN_UP : LOG_IN;
  const cpuBefore = new Map([...measured].map(([name, pid]) => [name, cpuMsOf(pid)]));
  const loadGeneratorBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + LEVEL_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const t0 = performance.now();
        let outcome: string;
        let retryAfter = 0;
        try {
          const answer = await postGraphQLWithHeaders(gatewayUrl, query, variablesFor(caller, iteration), {
            // Each caller is a client of its own, as a hundred users would be (the gateway trusts
            // X-Forwarded-For from loopback): one address for all would meet the per-client limit,
            // under which an address's unresolved attempts count until they resolve.
            'x-forwarded-for': `198.51.100.${caller + 1}`,
          });
          const code = answer.errors ? String(answer.errors[0]?.extensions?.code) : 'ok';
          outcome = `${code} (${answer.status})`;
          if (code === 'ok') succeeded.push(performance.now() - t0);
          if (answer.status === 503 || answer.status === 429) {
            refused.push(performance.now() - t0);
            retryAfter = Number(answer.headers.get('retry-after'));
            if (!retryAfter) missingRetryAfter += 1;
          }
        } catch (error) {
          outcome = `network error: ${(error as Error).message}`;
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (retryAfter > 0 && honoursRetryAfter) await sleep(retryAfter * 1000); // as the client is told
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perOperation = (ms: number) => round(ms / Math.max(1, succeeded.length));
  const cpuMsPerOperation = Object.fromEntries([
    ...[...measured].map(([name, pid]) => [name, perOperation(cpuMsOf(pid) - cpuBefore.get(name)!)]),
    ['load generator', perOperation(Object.values(process.cpuUsage(loadGeneratorBefore)).reduce((a, b) => a + b, 0) / 1000)],
  ]);
  succeeded.sort((a, b) => a - b);
  refused.sort((a, b) => a - b);
  return {
    operation,
    honoursRetryAfter,
    concurrency,
    perSecond: round(succeeded.length / seconds),
    succeeded: succeeded.length,
    p50Ms: Math.round(percentile(succeeded, 50)),
    p99Ms: Math.round(percentile(succeeded, 99)),
    refusedP99Ms: refused.length ? Math.round(percentile(refused, 99)) : null,
    outcomes,
    missingRetryAfter,
    cpuMsPerOperation,
  };
}

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const temp = makeTempDir('bench-auth');
  const usersConfig = loadUsersConfig({ ...process.env, DATA_DIR: temp.dir });
  const pool = {
    concurrency: usersConfig.PASSWORD_HASH_CONCURRENCY,
    queue: usersConfig.PASSWORD_HASH_QUEUE,
    maxWaitMs: usersConfig.PASSWORD_HASH_MAX_WAIT_MS,
  };

  console.log('  argon2id parameter sets (this process, no server running):');
  const parameterRows = await measureParameters(pool.concurrency);

  const rows: LevelRow[] = [];
  try {
    const [usersPort, gatewayPort] = [await freePort(), await freePort()];
    const env = { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', DATA_DIR: temp.dir };
    const usersUrl = `http://127.0.0.1:${usersPort}`;
    // Users first: it writes the development keys under DATA_DIR that the gateway then reads.
    const users = await startService('users', 'subgraphs/users/src/index.ts', { ...env, PORT: String(usersPort) }, `${usersUrl}/ready`);
    const gateway = await startService(
      'gateway',
      'gateway/src/index.ts',
      { ...env, PORT: String(gatewayPort), SUBGRAPH_USERS_URL: `${usersUrl}/graphql` },
      `http://127.0.0.1:${gatewayPort}/health`,
    );
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    measured.set('users', users.pid!).set('gateway', gateway.pid!);

    const loginEmail = (caller: number) => `bench-login-${caller}@example.com`;
    for (let caller = 0; caller < Math.max(...LEVELS); caller += 4) {
      await Promise.all(
        [0, 1, 2, 3].map(async (offset) => {
          const input = { email: loginEmail(caller + offset), password: PASSWORD, name: 'Bench' };
          const answer = await postGraphQLWithHeaders(gatewayUrl, SIGN_UP, { input });
          if (answer.errors) throw new Error(`setting up accounts: ${JSON.stringify(answer.errors)}`);
        }),
      );
    }

    for (const concurrency of LEVELS) {
      const signUps = await runLevel(gatewayUrl, 'signUp', concurrency, (caller, i) => ({
        input: { email: `bench-${concurrency}-${caller}-${i}@example.com`, password: PASSWORD, name: 'Bench' },
      }));
      const logIns = await runLevel(gatewayUrl, 'logIn', concurrency, (caller) => ({ email: loginEmail(caller), password: PASSWORD }));
      const levelRows = [signUps, logIns];
      if (concurrency === Math.max(...LEVELS)) {
        // The same burst from clients that ignore Retry-After: refusals must stay cheap and coded.
        levelRows.push(await runLevel(gatewayUrl, 'logIn', concurrency, (caller) => ({ email: loginEmail(caller), password: PASSWORD }), false));
      }
      for (const row of levelRows) {
        rows.push(row);
        console.log(
          `  ${row.operation}${row.honoursRetryAfter ? '' : ' (Retry-After ignored)'} × ${concurrency}: ${row.perSecond}/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
            `${JSON.stringify(row.outcomes)}, CPU ms per op ${JSON.stringify(row.cpuMsPerOperation)}`,
        );
      }
    }
  } finally {
    for (const child of children.reverse()) await stopChild(child, 5_000);
    temp.remove();
  }

  const loadAfter = os.loadavg();
  const bestLogIns = Math.max(...rows.filter((row) => row.operation === 'logIn').map((row) => row.perSecond));
  const hundreds = rows.filter((row) => row.operation === 'logIn' && row.concurrency === 100);
  const unexpected = [
    ...new Set(hundreds.flatMap((row) => Object.keys(row.outcomes)).filter((outcome) => outcome !== 'ok (200)' && outcome !== 'SERVICE_OVERLOADED (503)')),
  ];
  const missingRetryAfter = hundreds.reduce((sum, row) => sum + row.missingRetryAfter, 0);
  const targets = {
    logInsPerSecond: { target: TARGET_LOGINS_PER_SECOND, measured: bestLogIns, met: bestLogIns >= TARGET_LOGINS_PER_SECOND },
    hundredConcurrentLogIns: {
      target: 'every answer ok, or SERVICE_OVERLOADED with HTTP 503 and Retry-After',
      unexpectedOutcomes: unexpected,
      missingRetryAfter,
      met: unexpected.length === 0 && missingRetryAfter === 0,
    },
  };
  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    loadAverage1mBeforeAndAfter: [round(loadBefore[0]!), round(loadAfter[0]!)],
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4,
    passwordParameters: {
      memoryKiB: usersConfig.PASSWORD_MEMORY_KIB,
      timeCost: usersConfig.PASSWORD_TIME_COST,
      parallelism: usersConfig.PASSWORD_PARALLELISM,
    },
    hashPool: pool,
    database: usersConfig.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in the users process (as npm start)',
    processes:
      'users subgraph, gateway and this load generator: three processes on the same machine, not pinned to cores ' +
      "(in one process the callers' and the gateway's JavaScript would share the users subgraph's event loop, and the " +
      'numbers would say more about that than about hashing)',
    secondsPerLevel: LEVEL_SECONDS,
    clients: 'closed loop, one request at a time per caller; a 503/429 is followed by a wait of Retry-After seconds',
  };

  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'auth.json'),
    `${JSON.stringify({ benchmark: 'auth', environment, parameterSets: parameterRows, rows, targets }, null, 2)}\n`,
  );
  writeFileSync(path.join(resultsDir, 'auth.md'), markdown(environment, parameterRows, rows, targets));
  console.log(`  done in ${Math.round((Date.now() - started) / 1000)} s; log-in target ${targets.logInsPerSecond.met ? 'met' : 'NOT met'}`);
  if (!targets.hundredConcurrentLogIns.met) {
    console.error(`100 concurrent log-ins: unexpected ${JSON.stringify(unexpected)}, ${missingRetryAfter} without Retry-After`);
    process.exit(1);
  }
}

function markdown(
  environment: Record<string, unknown> & { date: string; cpus: string; node: string; passwordParameters: Record<string, number> },
  parameterRows: ParameterRow[],
  rows: LevelRow[],
  targets: { logInsPerSecond: { measured: number; met: boolean }; hundredConcurrentLogIns: { met: boolean; unexpectedOutcomes: string[] } },
): string {
  const { memoryKiB, timeCost, parallelism } = environment.passwordParameters;
  const pool = environment.hashPool as { concurrency: number; queue: number; maxWaitMs: number };
  const parameterTable = [
    '| parameter set | m (KiB) | t | p | ms per verify, one at a time | verifies/s, ' + `${pool.concurrency} at a time |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...parameterRows.map(
      (row) => `| ${row.name} | ${row.memoryKiB} | ${row.timeCost} | ${row.parallelism} | ${row.msPerVerify} | ${row.verifiesPerSecond} |`,
    ),
  ].join('\n');
  const levelTable = [
    '| operation | concurrent callers | succeeded/s | p50 (ms) | p99 (ms) | refusals p99 (ms) | answers (code, HTTP status) | CPU ms per success: users / gateway / load generator |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.operation}${row.honoursRetryAfter ? '' : ' (Retry-After ignored)'} | ${row.concurrency} | ${row.perSecond} | ${row.p50Ms} | ${row.p99Ms} | ${row.refusedP99Ms ?? '–'} | ` +
        `${Object.entries(row.outcomes)
          .map(([outcome, count]) => `${outcome}: ${count}`)
          .join(', ')} | ${Object.values(row.cpuMsPerOperation).join(' / ')} |`,
    ),
  ].join('\n');
  return `# auth

Sign-up and log-in through the gateway (\`npm run bench -- auth\`, bench/auth.bench.ts), ${environment.date}.

**Setup.** ${environment.cpus}, ${String(environment.memoryGiB)} GiB, Node ${environment.node}; load average (1 min) ${JSON.stringify(environment.loadAverage1mBeforeAndAfter)} before and after (after includes this benchmark's own processes; other work may share the machine).
Passwords: argon2id m = ${memoryKiB} KiB, t = ${timeCost}, p = ${parallelism}; hash pool ${pool.concurrency} running + ${pool.queue} waiting, none longer than ${pool.maxWaitMs} ms; libuv thread pool ${String(environment.uvThreadpoolSize)}.
${String(environment.processes)}; ${String(environment.database)}. Callers: ${String(environment.clients)}; ${String(environment.secondsPerLevel)} s per level.
signUp makes a new account per call; each caller has a client address of its own (X-Forwarded-For) and each logIn caller signs in to an account of its own with the right password, so the failed-log-in limits never engage (a correct log-in counts only while it is unresolved, and clears its account).

## argon2id on this machine

Measured in the benchmark's process before the servers start (verification costs what hashing does).

${parameterTable}

## Through the gateway

${levelTable}

"refusals p99" is how long a SERVICE_OVERLOADED answer took: the pool refuses at once, before any database read; the rest is the request's way through the gateway and the users subgraph on a machine whose two cores are busy hashing.

**Targets.** ≥ 40 log-ins/s: ${targets.logInsPerSecond.met ? 'met' : 'not met'} (best ${targets.logInsPerSecond.measured}/s).
100 concurrent log-ins (both rows) answer only ok or SERVICE_OVERLOADED with 503 and Retry-After: ${
    targets.hundredConcurrentLogIns.met ? 'met' : `not met (${targets.hundredConcurrentLogIns.unexpectedOutcomes.join(', ')})`
  }.
`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 10) / 10;

main().catch(async (error: unknown) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
