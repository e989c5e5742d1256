// npm run audit:federation -- <checkout of the-guild-org/graphql-federation-gateway-audit>
//
// Runs The Guild's federation gateway audit, with its own CLI (`test`: every suite in turn, each
// with a gateway started by gateway.sh over that suite's supergraph), against our gateway, and
// prints passed/total per suite. The checkout is not part of this repository (CI has no internet):
// someone provides it with its dependencies installed (`npm ci` in it; where the registry lacks
// one of its pinned versions, `npm install --omit=dev` after loosening that pin). Exits 1 unless
// every test passes.
//
// Ports: AUDIT_SUBGRAPHS_PORT (default 4410) for the audit's subgraphs, AUDIT_GATEWAY_PORT (4411)
// for ours. The CLI kills whatever listens on the gateway port before each suite: pick a free one.
// Our gateway runs in this process (./host.ts), started and stopped per suite through gateway.sh.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGatewayHost } from './host';

interface SuiteResult {
  suite: string;
  passed: number;
  total: number;
}

/** The CLI's results file: a suite id line, then its tests as "." (passed) or "X", per suite. */
export function parseResults(text: string): SuiteResult[] {
  const lines = text.split('\n');
  const end = lines.indexOf('---');
  const body = lines.slice(0, end === -1 ? lines.length : end).filter((line) => line !== '');
  const suites: SuiteResult[] = [];
  for (let index = 0; index + 1 < body.length; index += 2) {
    const marks = body[index + 1]!;
    suites.push({
      suite: body[index]!,
      passed: [...marks].filter((mark) => mark === '.').length,
      total: [...marks].filter((mark) => mark === '.' || mark === 'X').length,
    });
  }
  return suites;
}

async function main() {
  const checkoutArgument = process.argv[2];
  if (!checkoutArgument) {
    console.error('usage: npm run audit:federation -- <path to a graphql-federation-gateway-audit checkout>');
    process.exit(2);
  }
  const checkout = path.resolve(process.env.INIT_CWD ?? process.cwd(), checkoutArgument);
  const cli = path.join(checkout, 'src', 'cli.ts');
  if (!existsSync(cli)) throw new Error(`${cli} not found: is ${checkout} a checkout of the audit?`);
  if (!existsSync(path.join(checkout, 'node_modules')))
    throw new Error(`${checkout} has no node_modules: install its dependencies first (npm ci)`);

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'federation-audit-'));
  const subgraphsPort = process.env.AUDIT_SUBGRAPHS_PORT ?? '4410';
  const gatewayPort = process.env.AUDIT_GATEWAY_PORT ?? '4411';
  const host = await startGatewayHost({ subgraphsUrl: `http://localhost:${subgraphsPort}`, gatewayPort });
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          cli,
          'test',
          '--cwd',
          workDir,
          '--run-script',
          path.join(__dirname, 'gateway.sh'),
          '--graphql',
          `http://127.0.0.1:${gatewayPort}/graphql`,
          '--healthcheck',
          `http://127.0.0.1:${gatewayPort}/health`,
          '--port',
          subgraphsPort,
          '--reporter',
          'dot',
          '--write',
          'results.txt',
        ],
        {
          // stdin a pipe: the CLI's port killer (kill-port-process) pipes into process.stdin,
          // which on Node 24 has no end() when stdin is a file such as /dev/null.
          stdio: ['pipe', 'inherit', 'inherit'],
          env: { ...process.env, AUDIT_HOST_URL: host.url },
        },
      );
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const resultsFile = path.join(workDir, 'results.txt');
    if (exitCode !== 0 || !existsSync(resultsFile))
      throw new Error(`the audit's CLI failed (exit ${exitCode})`);

    const suites = parseResults(readFileSync(resultsFile, 'utf8'));
    const width = Math.max(...suites.map(({ suite }) => suite.length));
    console.log('\nsuite'.padEnd(width + 2) + 'passed/total');
    for (const { suite, passed, total } of suites)
      console.log(`${suite.padEnd(width)}  ${passed}/${total}${passed === total ? '' : '  ✗'}`);
    const passed = suites.reduce((sum, suite) => sum + suite.passed, 0);
    const total = suites.reduce((sum, suite) => sum + suite.total, 0);
    const suitesPassed = suites.filter((suite) => suite.passed === suite.total).length;
    console.log(`\n${passed}/${total} tests, ${suitesPassed}/${suites.length} suites`);
    process.exitCode = passed === total ? 0 : 1;
  } finally {
    await host.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
