// The soak's load: a process of its own (started by ./run.ts over IPC), so its work does not run
// on the gateway's event loop. It drives a seeded, open-loop mix of the web client's own persisted
// operations (Poisson arrivals at the offered rate, whether or not earlier requests have answered)
// and holds graphql-ws subscribers on myOrderUpdates, one per shopper, spread over the gateway
// replicas. A subscriber whose connection drops reconnects to the next replica and reads its
// shopper's orders once (the snapshot), as a client would to catch up on what it missed.
//
// Every request is recorded (./samples.ts) for the report and the invariants; the shoppers' orders
// and the statuses their subscribers saw are sent to the parent at the end.
import { randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Prng, repoRoot } from '@cloudmart/runtime';
import type { LoadPlan, LoadReport, Sample, SeenStatus } from './samples';

const plan = JSON.parse(process.env.SOAK_LOAD_PLAN!) as LoadPlan;
const random = new Prng(plan.seed);
const samples = createWriteStream(plan.samplesFile, { flags: 'w' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Operations: the web client's persisted queries, by name (their ids are what it sends).

interface ManifestOperation {
  id: string;
  name: string;
  body: string;
}
const manifest = (
  JSON.parse(readFileSync(path.join(repoRoot, 'web', 'persisted-query-manifest.json'), 'utf8')) as {
    operations: ManifestOperation[];
  }
).operations;
const operation = (name: string) => {
  const found = manifest.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the web manifest has no operation ${name}`);
  return found;
};

interface Answer {
  status: number | 'transport' | 'timeout';
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

let nextGateway = 0;
/** One request through a gateway replica; a refused connection goes to the next one, as a load balancer would. */
async function send(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ answer: Answer; gateway: number }> {
  let gateway = nextGateway++ % plan.gatewayUrls.length;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(plan.gatewayUrls[gateway]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': '1', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(plan.requestTimeoutMs),
      });
      const text = await response.text();
      try {
        return { answer: { status: response.status, ...(JSON.parse(text) as Omit<Answer, 'status'>) }, gateway };
      } catch {
        return { answer: { status: response.status, errors: [{ message: `not JSON: ${text.slice(0, 100)}` }] }, gateway };
      }
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') return { answer: { status: 'timeout' }, gateway };
      // Connection refused or reset (a replica is down): the next replica, once.
      if (attempt === 0 && plan.gatewayUrls.length > 1) {
        gateway = (gateway + 1) % plan.gatewayUrls.length;
        continue;
      }
      return { answer: { status: 'transport', errors: [{ message: String(error) }] }, gateway };
    }
  }
}

const persisted = (name: string, variables: Record<string, unknown> = {}) => {
  const { id } = operation(name);
  return { operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } };
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs one request and records it. */
async function run(op: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer> {
  const started = Date.now();
  const { answer, gateway } = await send(body, headers);
  const codes = (answer.errors ?? []).map((error) => error.extensions?.code ?? '(none)');
  const sample: Sample = {
    t: started,
    op,
    ms: Date.now() - started,
    status: answer.status,
    codes,
    dataNull: answer.data === null || answer.data === undefined,
    unavailableOnlyBelowRoot:
      codes.length > 0 &&
      (answer.errors ?? []).every((error) => error.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && (error.path?.length ?? 0) > 1),
    gateway,
  };
  samples.write(`${JSON.stringify(sample)}\n`);
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Setup: an admin, the soak's products, the shoppers and their subscribers.

interface Shopper {
  id: string;
  email: string;
  token: string;
  /** Orders this shopper placed (as the checkout answered). */
  orders: Set<string>;
  /** Per order, the statuses its subscriber saw, and how. */
  seen: Map<string, SeenStatus[]>;
  busy: boolean;
  client?: Client;
  connections: number;
  connected: { t: number; gateway: number }[];
}

const shoppers: Shopper[] = [];
const productIds: string[] = [];
const catalogIds: string[] = [];
let adminToken = '';

async function logIn(email: string, password: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const answer = await run('LogIn', persisted('LogIn', { email, password }));
    const token = (answer.data?.logIn as { token?: string } | undefined)?.token;
    if (token) return token;
    if (attempt >= 10) throw new Error(`log-in of ${email} failed: ${JSON.stringify(answer.errors)}`);
    await sleep(1_000);
  }
}

async function setUp(): Promise<void> {
  adminToken = await logIn(plan.adminEmail, plan.adminPassword);
  for (let index = 0; index < plan.products; index++) {
    const sku = `SOAK-${plan.seed}-${index}`;
    const answer = await run(
      'setup:createProduct',
      {
        query: 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        variables: {
          input: {
            sku,
            name: `Soak product ${index}`,
            description: 'A product of the soak run: bought by its shoppers, its stock checked at the end.',
            brand: 'Soakworks',
            category: random.pick(['headphones', 'speakers', 'laptops', 'cameras']),
            price: { amount: random.int(5, 300) * 100 + 99, currency: 'USD' },
            stock: plan.stockPerProduct,
          },
        },
      },
      bearer(adminToken),
    );
    const id = (answer.data?.createProduct as { id?: string } | undefined)?.id;
    if (!id) throw new Error(`creating ${sku} failed: ${JSON.stringify(answer.errors)}`);
    productIds.push(id);
  }
  // Some of the seeded catalog, for product pages.
  const catalog = await run('setup:catalog', persisted('SearchProducts', { first: 50, sort: 'NEWEST' }));
  const edges = ((catalog.data?.products as { edges?: { node: { id: string } }[] } | undefined)?.edges ?? []).map((edge) => edge.node.id);
  catalogIds.push(...edges, ...productIds);

  // Shoppers, ten sign-ups at a time.
  const indexes = Array.from({ length: plan.shoppers }, (_, index) => index);
  for (let at = 0; at < indexes.length; at += 10) {
    await Promise.all(
      indexes.slice(at, at + 10).map(async (index) => {
        const email = `soak-${plan.seed}-shopper-${index}@example.com`;
        for (let attempt = 0; ; attempt++) {
          const answer = await run(
            'setup:signUp',
            persisted('SignUp', { input: { email, name: `Soak Shopper ${index}`, password: plan.shopperPassword } }),
          );
          const token = (answer.data?.signUp as { token?: string } | undefined)?.token;
          if (token) {
            const me = await run('setup:me', persisted('Me'), bearer(token));
            const id = (me.data?.me as { id?: string } | undefined)?.id;
            if (!id) throw new Error(`Me failed for ${email}: ${JSON.stringify(me.errors)}`);
            shoppers[index] = { id, email, token, orders: new Set(), seen: new Map(), busy: false, connections: 0, connected: [] };
            return;
          }
          if (attempt >= 10) throw new Error(`sign-up of ${email} failed: ${JSON.stringify(answer.errors)}`);
          await sleep(1_000);
        }
      }),
    );
  }
  for (const [index, shopper] of shoppers.entries()) subscribe(shopper, index);
  // Every subscriber connected before the run starts.
  const deadline = Date.now() + 120_000;
  while (shoppers.some((shopper) => shopper.connections === 0)) {
    if (Date.now() > deadline) throw new Error('subscribers did not all connect within 120 s');
    await sleep(200);
  }
}

/** A shopper's newest orders (at most 50 per page, as the schema allows), read after a reconnect. */
const SNAPSHOT = '{ me { orders(first: 50) { edges { node { id status } } } } }';

function record(shopper: Shopper, orderId: string, status: string, via: SeenStatus['via']) {
  const list = shopper.seen.get(orderId) ?? [];
  list.push({ status, via, t: Date.now() });
  shopper.seen.set(orderId, list);
}

let subscriptionErrors = 0;
function subscribe(shopper: Shopper, index: number): void {
  let replica = index % plan.gatewayUrls.length;
  let current = replica;
  shopper.client = createClient({
    // Each (re)connection goes to the next replica: the one that dropped it may be gone.
    url: () => {
      current = replica++ % plan.gatewayUrls.length;
      return plan.gatewayUrls[current]!.replace(/^http/, 'ws');
    },
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${shopper.token}` },
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      await sleep(Math.min(5_000, 250 * 2 ** retries) * (0.5 + random.next()));
    },
    shouldRetry: () => true,
    lazy: false,
    keepAlive: 10_000,
    on: {
      connected: () => {
        shopper.connections += 1;
        shopper.connected.push({ t: Date.now(), gateway: current });
        if (shopper.connections > 1) void snapshot(shopper);
      },
    },
  });
  const resubscribe = () => {
    shopper.client!.subscribe<{ myOrderUpdates: { id: string; status: string } }>(
      { query: 'subscription { myOrderUpdates { id status } }' },
      {
        next: ({ data }) => {
          if (data?.myOrderUpdates) record(shopper, data.myOrderUpdates.id, data.myOrderUpdates.status, 'event');
        },
        error: () => {
          subscriptionErrors += 1;
          // A refused subscription (e.g. ended as too slow): subscribe again.
          if (!finishing) setTimeout(resubscribe, 1_000);
        },
        complete: () => {
          if (!finishing) setTimeout(resubscribe, 1_000);
        },
      },
    );
  };
  resubscribe();
}

/** After a reconnect: the shopper's orders as they are now, to catch up on events missed meanwhile. */
async function snapshot(shopper: Shopper): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await run('snapshot', { query: SNAPSHOT }, bearer(shopper.token));
    const edges = ((answer.data?.me as { orders?: { edges: { node: { id: string; status: string } }[] } } | undefined)?.orders?.edges) ?? [];
    if (!answer.errors?.length) {
      for (const { node } of edges) record(shopper, node.id, node.status, 'snapshot');
      return;
    }
    await sleep(1_000);
  }
}

// ---------------------------------------------------------------------------------------------
// The mix.

const SEARCH_TERMS = ['wireless', 'pro', 'mini', 'studio', 'noise', 'gaming', 'portable', 'ultra'];
const SUPPORT_QUESTIONS = [
  'Where is my latest order?',
  'Can I return something I bought last week?',
  'What is your refund policy?',
  'My package has not arrived yet.',
];
const day = 24 * 3_600_000;
let signUps = 0;

async function checkoutFlow(): Promise<void> {
  const idle = shoppers.filter((shopper) => !shopper.busy);
  if (idle.length === 0) return;
  const shopper = random.pick(idle);
  shopper.busy = true;
  try {
    const lines = random.int(1, 2);
    for (let line = 0; line < lines; line++) {
      await run('AddToCart', persisted('AddToCart', { productId: random.pick(productIds), quantity: random.int(1, 3) }), bearer(shopper.token));
    }
    const roll = random.next();
    const paymentToken = roll < 0.8 ? 'tok_visa' : roll < 0.95 ? 'tok_chargeDeclined' : 'tok_insufficientFunds';
    const input = { idempotencyKey: randomUUID(), paymentToken };
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await run('Checkout', persisted('Checkout', { input }), bearer(shopper.token));
      const order = answer.data?.checkout as { id?: string } | undefined;
      if (order?.id) {
        shopper.orders.add(order.id);
        return;
      }
      const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
      const retryable = answer.status === 'transport' || answer.status === 'timeout' ||
        codes.some((code) => code === 'PAYMENT_FAILED' || code === 'SUBGRAPH_UNAVAILABLE' || code === 'SERVICE_UNAVAILABLE' || code === 'CONFLICT');
      if (!retryable) return;
      // As a client would: the same idempotency key, a moment later.
      await sleep(2_000);
    }
  } finally {
    shopper.busy = false;
  }
}

const mix: { weight: number; run: () => Promise<unknown> }[] = [
  // Browsing, 60 % (partners' calls among it).
  { weight: 14, run: () => run('Home', persisted('Home')) },
  {
    weight: 22,
    run: () =>
      run(
        'SearchProducts',
        persisted('SearchProducts', {
          first: 20,
          filter: random.chance(0.5) ? { search: random.pick(SEARCH_TERMS) } : { category: random.pick(['headphones', 'speakers', 'laptops', 'smartphones', 'cameras']) },
          sort: random.pick(['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'RATING']),
        }),
      ),
  },
  { weight: 19, run: () => run('ProductPage', persisted('ProductPage', { id: random.pick(catalogIds) })) },
  {
    weight: 5,
    run: () => {
      const op = random.pick(plan.partner.operations);
      return run(`partner:${op.name}`, { operationName: op.name, variables: op.name === 'ProductPage' ? { id: random.pick(catalogIds) } : { first: 10 }, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }, { 'x-api-key': plan.partner.key });
    },
  },
  // Sign-up and log-in, 5 %.
  {
    weight: 2,
    run: () =>
      run('SignUp', persisted('SignUp', { input: { email: `soak-${plan.seed}-new-${signUps++}@example.com`, name: 'New Shopper', password: plan.shopperPassword } })),
  },
  { weight: 3, run: () => run('LogIn', persisted('LogIn', { email: random.pick(shoppers).email, password: plan.shopperPassword })) },
  // Cart and checkout, 20 %.
  { weight: 20, run: checkoutFlow },
  // Order history and support, 10 %.
  { weight: 6, run: () => run('MyOrders', persisted('MyOrders'), bearer(random.pick(shoppers).token)) },
  {
    weight: 2,
    run: () => {
      const shopper = random.pick(shoppers.filter((candidate) => candidate.orders.size > 0).concat(shoppers.slice(0, 1)));
      const orderId = [...shopper.orders][0];
      return orderId ? run('OrderPage', persisted('OrderPage', { id: orderId }), bearer(shopper.token)) : Promise.resolve();
    },
  },
  { weight: 2, run: () => run('AskSupport', persisted('AskSupport', { message: random.pick(SUPPORT_QUESTIONS) }), bearer(random.pick(shoppers).token)) },
  // Admin insights, 5 %.
  {
    weight: 5,
    run: () => {
      const to = new Date();
      const from = new Date(to.getTime() - 30 * day);
      const name = random.pick(['SalesSummary', 'TopProducts', 'CategoryBreakdown']);
      return run(name, persisted(name, { from: from.toISOString(), to: to.toISOString() }), bearer(adminToken));
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The run: Poisson arrivals at the offered rate; at most MAX_IN_FLIGHT at once (the rest shed).

const MAX_IN_FLIGHT = 256;
let finishing = false;

async function drive(): Promise<{ offered: number; sent: number; shed: number }> {
  let offered = 0;
  let sent = 0;
  let shed = 0;
  let inFlight = 0;
  const weights = mix.map((entry) => entry.weight);
  const end = Date.now() + plan.durationMs;
  const pending = new Set<Promise<unknown>>();
  let next = Date.now();
  while (next < end) {
    next += (-Math.log(1 - random.next()) / plan.ratePerSecond) * 1_000;
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    offered += 1;
    if (inFlight >= MAX_IN_FLIGHT) {
      shed += 1;
      continue;
    }
    const entry = mix[random.weighted(weights)]!;
    inFlight += 1;
    sent += 1;
    const task = entry
      .run()
      .catch((error: unknown) => process.stderr.write(`load: ${String(error)}\n`))
      .finally(() => {
        inFlight -= 1;
        pending.delete(task);
      });
    pending.add(task);
  }
  await Promise.all(pending);
  return { offered, sent, shed };
}

async function main() {
  await setUp();
  process.send!({
    type: 'ready',
    shoppers: shoppers.map((shopper) => shopper.id),
    products: productIds,
    stockPerProduct: plan.stockPerProduct,
  });
  const counts = await drive();
  process.send!({ type: 'driven', ...counts });
  // The parent waits until the system is quiet (outbox sent, payments settled), then says finish.
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  finishing = true;
  await sleep(plan.finalWaitMs);
  const report: LoadReport = {
    ...counts,
    subscriptionErrors,
    shoppers: shoppers.map((shopper) => ({
      id: shopper.id,
      orders: [...shopper.orders],
      seen: Object.fromEntries(shopper.seen),
      connections: shopper.connections,
      connected: shopper.connected,
    })),
  };
  await Promise.all(shoppers.map((shopper) => shopper.client?.dispose()));
  await new Promise<void>((resolve) => samples.end(resolve));
  process.send!({ type: 'report', report });
  process.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`load failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
