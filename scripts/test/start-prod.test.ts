// `npm run start:prod` as someone trying the production form runs it: the compiled services with
// NODE_ENV=production, PostgreSQL, Redis, the Kafka adapter and two gateway replicas. What only
// holds when the replicas share their state and both consume the events: a checkout through
// replica A reaches a subscriber on replica B with fields from four subgraphs; a query registered
// by APQ on A is served by B; a partner's rate limit counts its calls on both.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import { commandLineOf, createProduct, dataOf, descendantsOf, eventually, makeTempDir, mintCaller, postGraphQL, readInbox, signUp } from '@cloudmart/test-kit';
import { sha256Hex } from '@cloudmart/gateway/persisted-queries';
import { productionEnv, secretStoreIn } from '../production-env';

const run = promisify(execFile);

describe('npm run start:prod', () => {
  const temp = makeTempDir('start-prod');
  let launcher: ChildProcess;
  let output = '';
  let urlA: string;
  let urlB: string;
  /** What the services read their keys from: the launcher's local secret store. */
  let secretsEnv: NodeJS.ProcessEnv;
  const clients: Client[] = [];

  beforeAll(async () => {
    // Run as root, PostgreSQL runs as the postgres user, which must reach its folder inside this one.
    chmodSync(temp.dir, 0o755);
    // The build `npm run start:prod` runs first.
    await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'build.ts')], { cwd: repoRoot });
    launcher = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'start-prod.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATA_DIR: temp.dir,
        // Picked by the launcher as each replica starts: a port picked here would stay free for the
        // whole start-up, long enough for a server of the other jest worker to take it.
        GATEWAY_PORTS: 'auto',
        LOG_LEVEL: 'warn',
        // A partner's bucket that does not refill while the test runs.
        PARTNER_RATE_LIMIT_BURST: '4',
        PARTNER_RATE_LIMIT_PER_SECOND: '0.001',
        SEED_PRODUCT_COUNT: '20',
        SEED_ORDER_COUNT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 480_000;
    // The last line of the start-up message, after the replicas' URLs.
    while (!output.includes('Ctrl-C stops everything')) {
      if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`start:prod did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const urlOf = (replica: string) => new RegExp(`Gateway replica ${replica}\\s+(http://\\S+/graphql)`).exec(output)?.[1];
    [urlA, urlB] = [urlOf('A')!, urlOf('B')!];
    expect([urlA, urlB]).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/), expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/)]);
    // The access-token keys as the users service holds them (a pod of it would have them).
    const users = productionEnv('users', secretStoreIn(temp.dir)).env;
    secretsEnv = { NODE_ENV: 'production', DATA_DIR: temp.dir, JWT_PUBLIC_KEY: users.JWT_PUBLIC_KEY, JWT_PRIVATE_KEY: users.JWT_PRIVATE_KEY };
  }, 600_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGINT');
      await exited;
    }
    temp.remove();
  }, 120_000);

  it('runs every service compiled, with plain node, in production mode, on PostgreSQL', () => {
    const services = descendantsOf(launcher.pid!).filter((pid) => commandLineOf(pid).includes('/dist/index.js'));
    // every subgraph of supergraph.yaml and two gateway replicas, none through a TypeScript loader, all in production mode
    expect(services).toHaveLength(readSupergraphConfig().subgraphs.length + 2);
    for (const pid of services) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv).toEqual([process.execPath, '--enable-source-maps', expect.stringMatching(/\/dist\/index\.js$/)]);
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain('NODE_ENV=production');
      const nodeOptions = environ.find((entry) => entry.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? '';
      expect(nodeOptions).not.toMatch(/tsx|ts-node|swc|esbuild|--import|--require|--loader/);
    }
    expect(output).toMatch(/PostgreSQL\s+postgresql:\/\//);
  });

  it("serves the web client's persisted ProductPage by the id in the manifest the build wrote", async () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'web', 'persisted-query-manifest.json'), 'utf8')) as {
      operations: { id: string; name: string }[];
    };
    const productPage = manifest.operations.find((operation) => operation.name === 'ProductPage')!;
    // The demo catalog is seeded in the background once products is ready.
    const productId = await eventually(async () => {
      const listing = await postGraphQL<{ products: { edges: { node: { id: string } }[] } }>(urlA, '{ products(first: 1) { edges { node { id } } } }');
      const id = dataOf(listing).products.edges[0]?.node.id;
      if (!id) throw new Error('no product seeded yet');
      return id;
    }, 120_000);
    const response = await fetch(urlB, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationName: 'ProductPage', variables: { id: productId }, extensions: { persistedQuery: { version: 1, sha256Hash: productPage.id } } }),
    });
    const page = (await response.json()) as { data?: { product: { id: string; name: string } }; errors?: unknown[] };
    expect(page.errors).toBeUndefined();
    expect(page.data?.product).toEqual(expect.objectContaining({ id: productId, name: expect.any(String) }));
  });

  it('delivers a checkout through replica A to a subscriber on replica B, with fields from four subgraphs', async () => {
    const admin = await mintCaller({ env: secretsEnv }, 'ADMIN');
    const productId = await createProduct({ gatewayUrl: urlA }, admin, { stock: 5, name: 'Production-form lamp' });
    const email = `prod-${randomUUID()}@example.com`;
    const shopper = await signUp(urlA, email, 'Prod Shopper');
    const auth = { authorization: `Bearer ${shopper.token}` };
    // The password as PostgreSQL keeps it (argon2), checked by the compiled users service.
    const logIn = await postGraphQL(urlB, 'mutation($email: String!) { logIn(email: $email, password: "correct-horse-battery") { user { id } } }', { email });
    expect(dataOf(logIn)).toEqual({ logIn: { user: { id: shopper.id } } });

    const updates: { status: string; user: { email: string } | null; items: { product: { name: string } | null }[]; payment: { status: string } | null }[] = [];
    const client = createClient({ url: urlB.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: auth, retryAttempts: 0 });
    clients.push(client);
    const subscribed = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe(
      { query: 'subscription { myOrderUpdates { id status user { email } items { product { name } } payment { status } } }' },
      { next: (value) => void updates.push((value.data as { myOrderUpdates: (typeof updates)[number] }).myOrderUpdates), error: () => undefined, complete: () => undefined },
    );
    await subscribed;

    dataOf(await postGraphQL(urlA, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 2) { subtotal { amount } } }', { p: productId }, auth));
    const order = dataOf(
      await postGraphQL<{ checkout: { id: string; status: string } }>(
        urlA,
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id status } }',
        { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
        auth,
      ),
    ).checkout;
    expect(order.status).toBe('PAID');

    const deadline = Date.now() + 60_000;
    while (!updates.some((update) => update.status === 'PAID') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(updates.find((update) => update.status === 'PAID')).toEqual({
      id: order.id,
      status: 'PAID',
      user: { email },
      items: [{ product: { name: 'Production-form lamp' } }],
      payment: { status: expect.any(String) },
    });
    // The compiled notifications service, over Kafka, the users service's internal API (with the
    // production secret) and SMTP to the MailDev the launcher prints: the confirmation, once.
    const inbox = /MailDev \(inbox\)\s+(http:\/\/\S+?)\/?\s/.exec(output)![1]!;
    const confirmation = await eventually(async () => {
      const messages = (await readInbox(inbox)).filter((message) => message.to.some((to) => to.address === email));
      expect(messages.map((message) => message.subject)).toEqual([expect.stringMatching(/^Your order CM-\w+ is confirmed$/)]);
      return messages[0]!;
    }, 60_000);
    expect(confirmation.text).toContain('2 × Production-form lamp');
    expect(confirmation.text).toContain(`http://localhost:3000/orders/${order.id}`);
  });

  it('serves on replica B a query registered by APQ on replica A', async () => {
    const query = `query ApqAcrossReplicas { categories { id } __typename }`;
    const persistedQuery = { version: 1, sha256Hash: sha256Hex(query) };
    const post = (url: string, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        (response) => response.json() as Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>,
      );
    const unknown = await post(urlB, { extensions: { persistedQuery } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(urlA, { query, extensions: { persistedQuery } })).errors).toBeUndefined();
    const byHash = await post(urlB, { extensions: { persistedQuery } });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toMatchObject({ __typename: 'Query' });
  });

  it("counts a partner's calls on both replicas against one limit", async () => {
    const query = 'query PartnerCategories { categories { id } }';
    const manifest = path.join(temp.dir, 'partner-manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256Hex(query), name: 'PartnerCategories', type: 'query', body: query }] }),
    );
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts', 'register-partner.ts'), '--prod', '--name', 'acme', '--manifest', manifest],
      { cwd: repoRoot, env: { ...process.env, DATA_DIR: temp.dir } },
    );
    const key = stdout.trim();
    const call = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } }),
      });
    // Each replica reads the partners file when it changes: until it has, it answers 401 for the
    // key, which spends nothing. The first 200 from each spends one call of the burst of four.
    const firstAnswer = async (url: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const response = await call(url);
        if (response.status !== 401 || Date.now() > deadline) return response.status;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    expect([await firstAnswer(urlA), await firstAnswer(urlB)]).toEqual([200, 200]);
    // Two more, one on each: the burst is spent, though each replica has seen only two calls.
    expect([(await call(urlA)).status, (await call(urlB)).status]).toEqual([200, 200]);
    const refused = await call(urlB);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
