// `npm start` as a new user runs it: everything comes up, serves the gateway, stops on Ctrl-C
// without leaving a process behind, and keeps its data across a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { randomUUID } from 'node:crypto';
import { bearer, commandLineOf, dataOf, descendantsOf, errorCodes, eventually, makeTempDir, postGraphQL, processAlive as alive, readInbox } from '@cloudmart/test-kit';
import { launchChromium, screenshot } from '@cloudmart/test-kit/browser';

// Not 4000, so the test can run beside a developer's own `npm start`; subgraphs keep the ports
// supergraph.yaml gives them, as the launcher always does.
const GATEWAY_PORT = 4100;
const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
const WEB_PORT = 3100;
const MAILDEV_SMTP_PORT = 1125;
const MAILDEV_WEB_PORT = 1180;

interface Launcher {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// A smaller catalog and order history than the defaults (2,000 products, 3,000 orders seeded in
// the background): the same code paths (seeding, the stream into the search index, reviews'
// sentiment, the history into recommendations and the warehouse), without CPU that nothing here reads.
/** Every launcher started, so a failed test leaves none running (with its services) behind. */
const launched: ChildProcess[] = [];

function launch(dataDir: string): Promise<Launcher> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'start.ts')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: String(GATEWAY_PORT), WEB_PORT: String(WEB_PORT), MAILDEV_SMTP_PORT: String(MAILDEV_SMTP_PORT), MAILDEV_WEB_PORT: String(MAILDEV_WEB_PORT), SEED_PRODUCT_COUNT: '30', SEED_ORDER_COUNT: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launched.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // Longer than the launcher's own limit (START_TIMEOUT_SECONDS, 300 s), which then reports which service it waited for.
    const timer = setTimeout(() => reject(new Error(`not running after 330 s:\n${output}`)), 330_000);
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
  afterAll(async () => {
    // After a failure: the launcher and its services (a SIGKILLed launcher's services notice and stop).
    const running = launched.filter((child) => child.exitCode === null && child.signalCode === null);
    const services = running.flatMap((child) => descendantsOf(child.pid!));
    for (const child of running) child.kill('SIGKILL');
    await waitUntilGone(services, 20_000);
    data.remove();
  });

  it('serves the supergraph, stops cleanly on Ctrl-C, and keeps data across restarts', async () => {
    const first = await launch(data.dir);
    const services = descendantsOf(first.process.pid!);
    // DynamoDB Local, one process per subgraph, and the gateway.
    expect(services.length).toBeGreaterThanOrEqual(4);

    const demo = await postGraphQL<{ logIn: { token: string; user: unknown } }>(
      gatewayUrl,
      `mutation { logIn(email: "shopper@cloudmart.local", password: "shopper-password") { token user { name role } } }`,
    );
    expect(demo.data?.logIn.user).toEqual({ name: 'Demo Shopper', role: 'CUSTOMER' });

    // A checkout's confirmation lands in MailDev's inbox (printed at start), once, with its items and total.
    const inboxUrl = `http://localhost:${MAILDEV_WEB_PORT}/`;
    expect(first.output()).toContain(`Emails and texts (inbox)  ${inboxUrl}`);
    const shopper = bearer(dataOf(demo).logIn.token);
    const { products } = dataOf(
      await postGraphQL<{ products: { edges: { node: { id: string; name: string } }[] } }>(
        gatewayUrl,
        '{ products(first: 1, filter: { inStock: true }) { edges { node { id name } } } }',
      ),
    );
    const product = products.edges[0]!.node;
    dataOf(await postGraphQL(gatewayUrl, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { subtotal { amount } } }', { p: product.id }, shopper));
    const { checkout: order } = dataOf(
      await postGraphQL<{ checkout: { id: string; number: string; status: string; total: { amount: number } } }>(
        gatewayUrl,
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id number status total { amount } } }',
        { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
        shopper,
      ),
    );
    expect(order.status).toBe('PAID');
    const confirmation = await eventually(async () => {
      const messages = (await readInbox(inboxUrl)).filter((message) => message.subject === `Your order ${order.number} is confirmed`);
      expect(messages).toHaveLength(1);
      return messages[0]!;
    }, 60_000);
    expect(confirmation.to.map((to) => to.address)).toEqual(['shopper@cloudmart.local']);
    expect(confirmation.text).toContain(`2 × ${product.name}`);
    const total = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(order.total.amount / 100);
    expect(confirmation.text).toContain(`Total: ${total}`);
    expect(confirmation.text).toContain(`http://localhost:${WEB_PORT}/orders/${order.id}`);
    // Once recorded as sent, still one: nothing sends it again.
    await eventually(async () => {
      const { me } = dataOf(
        await postGraphQL<{ me: { notifications: { edges: { node: { status: string; order: { id: string } } }[] } } }>(
          gatewayUrl,
          '{ me { notifications(first: 10) { edges { node { status order { id } } } } } }',
          {},
          shopper,
        ),
      );
      expect(me.notifications.edges.filter((edge) => edge.node.order.id === order.id).map((edge) => edge.node.status)).toEqual(['SENT']);
    }, 60_000);
    expect((await readInbox(inboxUrl)).filter((message) => message.subject === confirmation.subject)).toHaveLength(1);
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
  }, 900_000);
});
