// `npm start` as a new user runs it: everything comes up, serves the gateway, stops on Ctrl-C
// without leaving a process behind, and keeps its data across a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { commandLineOf, descendantsOf, errorCodes, makeTempDir, postGraphQL, processAlive as alive } from '@cloudmart/test-kit';
import { launchChromium, screenshot } from '@cloudmart/test-kit/browser';

// Not 4000, so the test can run beside a developer's own `npm start`; subgraphs keep the ports
// supergraph.yaml gives them, as the launcher always does.
const GATEWAY_PORT = 4100;
const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
const WEB_PORT = 3100;

interface Launcher {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// A smaller catalog and order history than the defaults (2,000 products, 3,000 orders seeded in
// the background): the same code paths (seeding, the stream into the search index, reviews'
// sentiment, the history into recommendations and the warehouse), without CPU that nothing here reads.
function launch(dataDir: string): Promise<Launcher> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'start.ts')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: String(GATEWAY_PORT), WEB_PORT: String(WEB_PORT), SEED_PRODUCT_COUNT: '30', SEED_ORDER_COUNT: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not running after 240 s:\n${output}`)), 240_000);
    const check = setInterval(() => {
      if (output.includes('CloudMart is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ process: child, output: () => output, exited });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`launcher exited with ${code}:\n${output}`));
    });
  });
}

/** The processes still alive after `ms`, each with its command line (named when a test fails). */
async function waitUntilGone(pids: number[], ms: number): Promise<string[]> {
  const names = new Map(pids.map((pid) => [pid, commandLineOf(pid)]));
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 200));
  return pids.filter(alive).map((pid) => `${pid} ${names.get(pid)}`);
}

describe('npm start', () => {
  const data = makeTempDir('start');
  afterAll(() => data.remove());

  it('serves the supergraph, stops cleanly on Ctrl-C, and keeps data across restarts', async () => {
    const first = await launch(data.dir);
    const services = descendantsOf(first.process.pid!);
    // DynamoDB Local, one process per subgraph, and the gateway.
    expect(services.length).toBeGreaterThanOrEqual(4);

    const demo = await postGraphQL(gatewayUrl, `mutation { logIn(email: "shopper@cloudmart.local", password: "shopper-password") { user { name role } } }`);
    expect(demo.data).toEqual({ logIn: { user: { name: 'Demo Shopper', role: 'CUSTOMER' } } });
    const signUp = await postGraphQL(gatewayUrl, `mutation { signUp(input: { email: "new@example.com", password: "restart-proof", name: "New" }) { user { id } } }`);
    expect(signUp.errors).toBeUndefined();

    // The storefront (Vite dev server, /graphql proxied to the gateway) shows seeded products.
    const chromium = await launchChromium();
    try {
      const page = await chromium.context.newPage();
      await page.goto(`http://127.0.0.1:${WEB_PORT}/`);
      const featured = page.getByRole('list', { name: 'Featured products' }).getByRole('listitem');
      await featured.first().waitFor({ timeout: 60_000 });
      expect(await featured.count()).toBeGreaterThan(0);
      expect(await page.getByRole('heading', { name: 'Categories' }).isVisible()).toBe(true);
      await screenshot(page, 'npm-start-storefront');
    } finally {
      await chromium.close();
    }

    first.process.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(await waitUntilGone(services, 5_000)).toEqual([]);

    const second = await launch(data.dir);
    const logIn = await postGraphQL(gatewayUrl, `mutation { logIn(email: "new@example.com", password: "restart-proof") { user { id } } }`);
    expect(logIn.data).toEqual({ logIn: signUp.data!.signUp });
    expect(errorCodes(await postGraphQL(gatewayUrl, `mutation { logIn(email: "new@example.com", password: "wrong-password") { token } }`))).toEqual([
      'UNAUTHENTICATED',
    ]);

    // Even if the launcher itself is killed outright, its services notice and stop.
    const orphans = descendantsOf(second.process.pid!);
    second.process.kill('SIGKILL');
    await second.exited;
    expect(await waitUntilGone(orphans, 20_000)).toEqual([]);
    // Two full start-ups (DynamoDB Local, every subgraph, the gateway, the web dev server) and a
    // browser: more than the default minute on a busy 2-core machine.
  }, 600_000);
});
