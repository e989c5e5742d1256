// The gateway's entity cache, on the default (in-memory) store and the default (file log) bus:
// 1. Subgraph calls: the storefront's queries (web/src: the product page — products root fields,
//    review authors from users' _entities — and the search listing), repeated, through a gateway
//    with the cache off and one with it on, over the same subgraphs; we count the fetches each
//    subgraph receives and time each query (one at a time).
// 2. Update → visible: a product page is cached; an admin changes the product's price through the
//    gateway (updateProduct → products.events), or a shopper checks out (→ orders.events, the
//    stock); we poll the page every 5 ms and time until the change shows.
// Writes bench/results/entity-cache.{json,md}. Everything runs on this machine (2 cores shared by
// DynamoDB Local, every subgraph, the gateway and the client): numbers compare runs here.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseConfigSchema, loadConfig, loadJwtKeys, signAccessToken } from '@cloudmart/runtime';
import { bearer, postGraphQL, startTestSupergraph } from '@cloudmart/test-kit';
import { start as startGateway } from '@cloudmart/gateway/server';
import { percentile } from './percentile';

const PRODUCTS = 20;
const ROUNDS = 10;
const UPDATE_SAMPLES = 20;
const CHECKOUT_SAMPLES = 10;

const PRODUCT_PAGE = `query ProductPage($id: ID!) {
  product(id: $id) {
    id name description brand sku
    category { id name }
    price { amount currency }
    images { url alt }
    inventory { available status }
    rating { average count }
    reviews(first: 10) { totalCount edges { node { id rating title body createdAt author { id name } } } }
  }
}`;
const SEARCH = `query SearchProducts($first: Int!, $filter: ProductFilter) {
  products(first: $first, filter: $filter) {
    totalCount
    edges { node { id name brand price { amount currency } images { url alt } rating { average count } inventory { status } } }
    pageInfo { hasNextPage endCursor }
  }
  categories { id name }
}`;

type Page = { product: { price: { amount: number }; inventory: { available: number } } };

async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await postGraphQL<T>(url, query, variables, headers);
  if (!response.data || response.errors?.length) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: Number(percentile(sorted, 50).toFixed(1)),
    p99Ms: Number(percentile(sorted, 99).toFixed(1)),
    maxMs: Number(sorted.at(-1)!.toFixed(1)),
  };
};

async function main() {
  const started = Date.now();
  const graph = await startTestSupergraph();
  const uncached = await startGateway({ ...graph.env, ENTITY_CACHE: 'false' });
  const total = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);
  try {
    const keys = await loadJwtKeys(loadConfig(baseConfigSchema, graph.env), { needPrivateKey: true });
    const admin = bearer(await signAccessToken(keys, { userId: randomUUID(), role: 'ADMIN' }));
    const { signUp } = await gql<{ signUp: { token: string } }>(
      graph.gatewayUrl,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      {
        input: {
          email: `bench-${randomUUID()}@example.com`,
          name: 'Bench Reviewer',
          password: 'correct-horse-battery',
        },
      },
    );
    const reviewer = bearer(signUp.token);
    const ids: string[] = [];
    for (let i = 0; i < PRODUCTS; i++) {
      const { createProduct } = await gql<{ createProduct: { id: string } }>(
        graph.gatewayUrl,
        'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `BENCH-EC-${i}`,
            name: `Entity cache bench item ${i}`,
            description: 'For the entity cache benchmark.',
            brand: 'Bench',
            category: 'headphones',
            price: { amount: 1_000 + i, currency: 'USD' },
            stock: 1_000_000,
          },
        },
        admin,
      );
      ids.push(createProduct.id);
      await gql(
        graph.gatewayUrl,
        'mutation($p: ID!) { addReview(productId: $p, rating: 4, title: "Good", body: "Does the job.") { id } }',
        { p: createProduct.id },
        reviewer,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the setup's events settle

    // 1. Subgraph calls and latency, cache off then on.
    const workload = async (url: string) => {
      const latencies: number[] = [];
      graph.resetSubgraphRequests();
      for (let round = 0; round < ROUNDS; round++) {
        for (const id of ids) {
          const sent = performance.now();
          await gql(url, PRODUCT_PAGE, { id });
          latencies.push(performance.now() - sent);
        }
        const sent = performance.now();
        await gql(url, SEARCH, { first: 20, filter: { category: 'headphones' } });
        latencies.push(performance.now() - sent);
      }
      return {
        queries: latencies.length,
        subgraphCalls: total(),
        bySubgraph: { ...graph.subgraphRequests },
        latency: stats(latencies),
      };
    };
    await workload(uncached.url); // warm-up: JIT, connections, query plans
    const off = await workload(uncached.url);
    const on = await workload(graph.gatewayUrl);
    const reduction = on.subgraphCalls ? off.subgraphCalls / on.subgraphCalls : Infinity;
    console.log('cache off', off, '\ncache on', on, '\nreduction', reduction);

    // 2. Update → visible.
    const visibleAfter = async (
      change: () => Promise<void>,
      visible: (page: Page) => boolean,
      id: string,
    ) => {
      await gql(graph.gatewayUrl, PRODUCT_PAGE, { id }); // cached
      const sent = performance.now();
      await change();
      const committed = performance.now();
      for (;;) {
        const page = await gql<Page>(graph.gatewayUrl, PRODUCT_PAGE, { id });
        if (visible(page))
          return { fromSend: performance.now() - sent, fromResponse: performance.now() - committed };
        if (performance.now() - sent > 30_000) throw new Error('the change never became visible');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const updates: { fromSend: number; fromResponse: number }[] = [];
    for (let i = 0; i < UPDATE_SAMPLES; i++) {
      const id = ids[i % ids.length]!;
      const price = 5_000 + i;
      updates.push(
        await visibleAfter(
          async () => {
            await gql(
              graph.gatewayUrl,
              'mutation($id: ID!, $price: Int!) { updateProduct(id: $id, input: { price: { amount: $price, currency: "USD" } }) { id } }',
              { id, price },
              admin,
            );
          },
          (page) => page.product.price.amount === price,
          id,
        ),
      );
    }
    const shopper = bearer(signUp.token);
    const checkouts: { fromSend: number; fromResponse: number }[] = [];
    for (let i = 0; i < CHECKOUT_SAMPLES; i++) {
      const id = ids[i % ids.length]!;
      const before = (await gql<Page>(graph.gatewayUrl, PRODUCT_PAGE, { id })).product.inventory.available;
      await gql(
        graph.gatewayUrl,
        'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { items { quantity } } }',
        { p: id },
        shopper,
      );
      checkouts.push(
        await visibleAfter(
          async () => {
            await gql(
              graph.gatewayUrl,
              'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
              { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
              shopper,
            );
          },
          (page) => page.product.inventory.available === before - 1,
          id,
        ),
      );
    }
    const update = {
      fromSend: stats(updates.map((u) => u.fromSend)),
      fromResponse: stats(updates.map((u) => u.fromResponse)),
    };
    const checkout = {
      fromSend: stats(checkouts.map((u) => u.fromSend)),
      fromResponse: stats(checkouts.map((u) => u.fromResponse)),
    };
    console.log('update → visible', update, '\ncheckout → visible', checkout);

    const resultsDir = path.join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
    writeFileSync(
      path.join(resultsDir, 'entity-cache.json'),
      `${JSON.stringify({ date: new Date().toISOString(), machine, store: 'memory', bus: 'file log (default)', off, on, reduction, update, checkout }, null, 2)}\n`,
    );
    const row = (name: string, r: typeof off) =>
      `| ${name} | ${r.queries} | ${r.subgraphCalls} | ${Object.entries(r.bySubgraph)
        .filter(([, n]) => n)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')} | ${r.latency.p50Ms} | ${r.latency.p99Ms} |`;
    const latencyRow = (name: string, r: typeof update) =>
      `| ${name} | ${r.fromSend.samples} | ${r.fromSend.p50Ms} | ${r.fromSend.p99Ms} | ${r.fromSend.maxMs} | ${r.fromResponse.p50Ms} | ${r.fromResponse.p99Ms} |`;
    writeFileSync(
      path.join(resultsDir, 'entity-cache.md'),
      [
        '# Entity cache',
        '',
        `${new Date().toISOString()} on ${machine}; in-memory store, file log event bus (defaults); everything on this machine, one query at a time.`,
        '',
        `## Subgraph calls: ${ROUNDS} rounds of the product page for ${PRODUCTS} products and one search listing`,
        '',
        '| gateway | queries | subgraph calls | by subgraph | p50 ms | p99 ms |',
        '|---|---:|---:|---|---:|---:|',
        row('cache off', off),
        row('cache on', on),
        '',
        `**${reduction.toFixed(1)}× fewer subgraph calls** with the cache on (the first round fills it).`,
        '',
        '## Update → visible on a cached product page',
        '',
        'From sending the mutation (and from its response) until a query through the gateway shows the',
        'change, polling every 5 ms: updateProduct (price) goes through `products.events`, checkout (stock)',
        'through the orders outbox relay and `orders.events`.',
        '',
        '| change | samples | p50 ms | p99 ms | max ms | p50 ms after response | p99 ms after response |',
        '|---|---:|---:|---:|---:|---:|---:|',
        latencyRow('updateProduct (price)', update),
        latencyRow('checkout (stock)', checkout),
        '',
        `Run time ${Math.round((Date.now() - started) / 1000)} s.`,
        '',
      ].join('\n'),
    );
  } finally {
    await uncached.stop();
    await graph.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
