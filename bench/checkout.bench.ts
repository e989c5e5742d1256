// Checkout through the gateway under concurrency: each virtual shopper loops "add 2 products to
// the cart, check out with tok_visa" and we time the checkout mutation (stock reservation, order,
// outbox, payment authorization over the internal API, and the PAID transaction). Reports
// checkouts/s and p50/p99 latency per concurrency level into bench/results/checkout.{json,md}.
// Everything (DynamoDB Local, every subgraph, the gateway) runs on this machine, so the numbers
// compare runs on one machine; they are not a production capacity figure.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseConfigSchema, loadConfig, loadJwtKeys, signAccessToken } from '@cloudmart/runtime';
import { bearer, postGraphQL, startTestSupergraph } from '@cloudmart/test-kit';
import { percentile } from './percentile';

const LEVELS = [1, 10, 25];
const DURATION_MS = 8_000;
const PRODUCTS = 20;

const CHECKOUT =
  'mutation($input: CheckoutInput!) { checkout(input: $input) { id status total { amount } } }';
const ADD = 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { items { quantity } } }';

interface Row {
  concurrency: number;
  checkouts: number;
  checkoutsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function main() {
  const started = Date.now();
  const graph = await startTestSupergraph();
  const rows: Row[] = [];
  try {
    const keys = await loadJwtKeys(loadConfig(baseConfigSchema, graph.env), { needPrivateKey: true });
    const token = (role: 'ADMIN' | 'CUSTOMER') => signAccessToken(keys, { userId: randomUUID(), role });
    const admin = bearer(await token('ADMIN'));
    const productIds: string[] = [];
    for (let i = 0; i < PRODUCTS; i++) {
      const created = await postGraphQL<{ createProduct: { id: string } }>(
        graph.gatewayUrl,
        'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `BENCH-${i}`,
            name: `Bench product ${i}`,
            description: 'For the checkout benchmark.',
            brand: 'Bench',
            category: 'headphones',
            price: { amount: 1_000 + i * 100, currency: 'USD' },
            stock: 1_000_000,
          },
        },
        admin,
      );
      if (!created.data) throw new Error(JSON.stringify(created.errors));
      productIds.push(created.data.createProduct.id);
    }

    for (const concurrency of LEVELS) {
      const latencies: number[] = [];
      let errors = 0;
      const deadline = Date.now() + DURATION_MS;
      const shopper = async () => {
        const headers = bearer(await token('CUSTOMER'));
        while (Date.now() < deadline) {
          for (let k = 0; k < 2; k++) {
            const productId = productIds[Math.floor(Math.random() * productIds.length)]!;
            const added = await postGraphQL(graph.gatewayUrl, ADD, { p: productId, q: 1 }, headers);
            if (added.errors) errors += 1;
          }
          const t0 = performance.now();
          const result = await postGraphQL<{ checkout: { status: string } }>(
            graph.gatewayUrl,
            CHECKOUT,
            { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
            headers,
          );
          const elapsed = performance.now() - t0;
          if (result.data?.checkout.status === 'PAID') latencies.push(elapsed);
          else errors += 1;
        }
      };
      const t0 = Date.now();
      await Promise.all(Array.from({ length: concurrency }, shopper));
      const seconds = (Date.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({
        concurrency,
        checkouts: latencies.length,
        checkoutsPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
        p50Ms: Math.round(percentile(latencies, 50)),
        p99Ms: Math.round(percentile(latencies, 99)),
        errors,
      });
      const row = rows.at(-1)!;
      console.log(
        `  ${concurrency} shoppers: ${row.checkoutsPerSecond} checkouts/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${errors} errors`,
      );
    }
  } finally {
    await graph.stop();
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    durationSeconds: DURATION_MS / 1000,
    products: PRODUCTS,
  };
  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'checkout.json'),
    `${JSON.stringify({ benchmark: 'checkout', environment, rows }, null, 2)}\n`,
  );
  const table = [
    '| concurrent shoppers | checkouts | checkouts/s | p50 (ms) | p99 (ms) | errors |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.concurrency} | ${r.checkouts} | ${r.checkoutsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} |`,
    ),
  ].join('\n');
  writeFileSync(
    path.join(resultsDir, 'checkout.md'),
    `# checkout\n\nThe \`checkout\` mutation through the gateway (\`npm run bench\`): each shopper loops "add 2 of ${PRODUCTS} products, ` +
      `check out with tok_visa"; only the checkout is timed (stock transaction, payment authorization over the internal API, ` +
      `PAID transaction). ${DURATION_MS / 1000} s per level; gateway, subgraphs and DynamoDB Local on one machine ` +
      `(${environment.cpus}, Node ${environment.node}), ${environment.date}. Shoppers and servers share one process, so the load ` +
      `generator competes with the servers for CPU.\n\n${table}\n`,
  );
  console.log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
  if (rows.some((row) => row.errors > 0)) {
    console.error('some requests failed');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
