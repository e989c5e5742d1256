// Multi-process mode (GATEWAY_WORKERS, src/workers.ts): the gateway's entry point started as its
// own process with two workers in front of the test supergraph's subgraphs. Queries are answered,
// each WebSocket connection's subscriptions get the checkout's events from whichever worker
// accepted it, and SIGTERM stops the primary and its workers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  freePort,
  mintCaller,
  postGraphQL,
  processAlive,
  signUp,
  startTestSupergraph,
  type TestSupergraph,
  waitFor,
} from '@cloudmart/test-kit';

/** Gateway worker processes of `pid` (Linux /proc): its children running src/index.ts (tsx has an esbuild child too). */
function workersOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('index.ts');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

const MY_ORDER_UPDATES = 'subscription { myOrderUpdates { id status } }';
const ORDER_UPDATED = 'subscription($id: ID!) { orderUpdated(orderId: $id) { id status } }';

describe('GATEWAY_WORKERS=2', () => {
  let graph: TestSupergraph;
  let gateway: ChildProcess;
  let url: string;
  let output = '';
  const clients: Client[] = [];

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    gateway = spawn(process.execPath, ['--import', 'tsx', require.resolve('@cloudmart/gateway')], {
      env: { ...graph.env, HOST: '127.0.0.1', PORT: String(port), GATEWAY_WORKERS: '2', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    gateway.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    gateway.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ready = await fetch(new URL('/health', url)).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (gateway.exitCode !== null || Date.now() > deadline)
        throw new Error(`gateway did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGKILL');
    }
    await graph?.stop();
  });

  it('runs two gateway processes that answer queries', async () => {
    // Both workers listen before /health answers reliably; wait for the second one too.
    await waitFor('two workers', () => workersOf(gateway.pid!).length === 2);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => postGraphQL(url, '{ products(first: 1) { edges { node { id } } } }')),
    );
    for (const response of responses) expect(response.errors).toBeUndefined();
  });

  it("delivers events to each connection's subscriptions, whichever worker accepted it", async () => {
    const admin = await mintCaller(graph, 'ADMIN');
    const email = `workers-${randomUUID()}@example.com`;
    const signedUp = await signUp(graph.gatewayUrl, email, 'Worker Watcher');
    const shopper: Caller = { userId: signedUp.id, headers: { authorization: `Bearer ${signedUp.token}` } };
    const productId = await createProduct(graph, admin, { stock: 10, price: 1_000, name: 'Worker lamp' });
    await addToCart(graph, shopper, productId, 1);
    const first = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;

    // Four connections (the primary hands them to the workers in turn), each with two subscriptions.
    const connections = Array.from({ length: 4 }, () => {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: shopper.headers.authorization },
        retryAttempts: 0,
      });
      clients.push(client);
      const mine: unknown[] = [];
      const followed: unknown[] = [];
      client.subscribe(
        { query: MY_ORDER_UPDATES },
        { next: (value) => void mine.push(value), error: () => undefined, complete: () => undefined },
      );
      client.subscribe(
        { query: ORDER_UPDATED, variables: { id: first.id } },
        { next: (value) => void followed.push(value), error: () => undefined, complete: () => undefined },
      );
      return { mine, followed };
    });
    // orderUpdated answers at once with the order as it is: each connection is being served.
    await waitFor('the current order on every connection', () =>
      connections.every((c) => c.followed.length > 0),
    );
    for (const { followed } of connections) {
      expect(followed[0]).toEqual({ data: { orderUpdated: { id: first.id, status: expect.any(String) } } });
    }

    await addToCart(graph, shopper, productId, 1);
    const second = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;
    await waitFor('the second order on every connection', () =>
      connections.every(({ mine }) =>
        mine.some(
          (value) =>
            (value as { data?: { myOrderUpdates?: { id: string } } }).data?.myOrderUpdates?.id === second.id,
        ),
      ),
    );
  });

  it('stops the workers and itself on SIGTERM', async () => {
    const workers = workersOf(gateway.pid!);
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers).toHaveLength(2);
    await waitFor('the workers to exit', () => !workers.some(processAlive));
  });
});
