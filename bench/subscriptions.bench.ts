// Subscriptions through the gateway on the default (file log) event bus:
// 1. checkout → subscriber latency: a shopper subscribed with myOrderUpdates (selecting fields of
//    users, products and payments) checks out; we time from sending the checkout mutation to the
//    subscriber receiving the PAID update. p50/p99 over SAMPLES checkouts, one at a time.
// 2. fan-out: FAN_OUT graphql-ws connections on one gateway each subscribe to orderUpdated for the
//    same order; an admin changes its status; we time until every subscriber has the change.
// Writes bench/results/subscriptions.{json,md}. Everything runs on this machine (2 cores shared by
// DynamoDB Local, every subgraph, the gateway and the clients): numbers compare runs here.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { baseConfigSchema, loadConfig, loadJwtKeys, signAccessToken } from '@cloudmart/runtime';
import { bearer, postGraphQL, startTestSupergraph, waitFor } from '@cloudmart/test-kit';
import type { RunningGateway } from '@cloudmart/gateway/server';
import { percentile } from './percentile';

const SAMPLES = 40;
const FAN_OUT = 1_000;
const FAN_OUT_ROUNDS = 3;

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await postGraphQL<T>(url, query, variables, headers);
  if (!response.data || response.errors?.length) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

async function main() {
  const started = Date.now();
  const graph = await startTestSupergraph();
  const gateway = graph.gateway as RunningGateway;
  const wsUrl = graph.gatewayUrl.replace(/^http/, 'ws');
  const clients: Client[] = [];
  try {
    const keys = await loadJwtKeys(loadConfig(baseConfigSchema, graph.env), { needPrivateKey: true });
    const admin = bearer(await signAccessToken(keys, { userId: randomUUID(), role: 'ADMIN' }));
    const { createProduct } = await gql<{ createProduct: { id: string } }>(
      graph.gatewayUrl,
      'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      {
        input: {
          sku: 'BENCH-SUB',
          name: 'Subscription bench item',
          description: 'For the subscriptions benchmark.',
          brand: 'Bench',
          category: 'headphones',
          price: { amount: 1_500, currency: 'USD' },
          stock: 1_000_000,
        },
      },
      admin,
    );
    const { signUp } = await gql<{ signUp: { token: string } }>(
      graph.gatewayUrl,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      { input: { email: `bench-${randomUUID()}@example.com`, name: 'Bench Shopper', password: 'correct-horse-battery' } },
      {},
    );
    const shopper = bearer(signUp.token);

    // 1. checkout → subscriber latency
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: shopper, retryAttempts: 0 });
    clients.push(client);
    const paidAt = new Map<string, number>();
    client.subscribe(
      { query: 'subscription { myOrderUpdates { id status items { product { name } } user { email } payment { status } } }' },
      {
        next: ({ data }) => {
          const update = (data as { myOrderUpdates: { id: string; status: string } }).myOrderUpdates;
          if (update.status === 'PAID' && !paidAt.has(update.id)) paidAt.set(update.id, performance.now());
        },
        error: (error) => console.error('subscription error', error),
        complete: () => undefined,
      },
    );
    await waitFor('the subscription', () => gateway.activeSubscriptions() === 1);
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await gql(graph.gatewayUrl, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { items { quantity } } }', { p: createProduct.id }, shopper);
      const sent = performance.now();
      const { checkout } = await gql<{ checkout: { id: string } }>(
        graph.gatewayUrl,
        'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
        { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
        shopper,
      );
      await waitFor('the PAID update', () => paidAt.has(checkout.id), 10_000);
      latencies.push(paidAt.get(checkout.id)! - sent);
    }
    latencies.sort((a, b) => a - b);
    const latency = { samples: SAMPLES, p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)), maxMs: Math.round(latencies.at(-1)!) };
    console.log('checkout → subscriber', latency);

    // 2. fan-out to FAN_OUT subscribers of one order
    const order = [...paidAt.keys()][0]!;
    const received = new Array<number>(FAN_OUT).fill(0);
    const lastArrival = new Array<number>(FAN_OUT).fill(0);
    for (let i = 0; i < FAN_OUT; i++) {
      const fan = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: shopper, retryAttempts: 0 });
      clients.push(fan);
      fan.subscribe(
        { query: 'subscription($id: ID!) { orderUpdated(orderId: $id) { id status payment { status } } }', variables: { id: order } },
        {
          next: () => {
            received[i]! += 1;
            lastArrival[i] = performance.now();
          },
          error: (error) => console.error('fan-out error', error), complete: () => undefined },
      );
    }
    await waitFor(`${FAN_OUT} subscriptions`, () => gateway.activeSubscriptions() === FAN_OUT + 1, 120_000);
    await waitFor('the snapshots', () => received.every((count) => count >= 1), 120_000);
    const rounds: { allMs: number; p50Ms: number; p99Ms: number }[] = [];
    const statuses = ['FULFILLING', 'SHIPPED', 'DELIVERED'];
    for (let round = 0; round < FAN_OUT_ROUNDS; round++) {
      const before = received.map((count) => count);
      const sent = performance.now();
      await gql(graph.gatewayUrl, 'mutation($id: ID!, $s: OrderStatus!) { updateOrderStatus(orderId: $id, status: $s) { status } }', { id: order, s: statuses[round] }, admin);
      await waitFor('every subscriber', () => received.every((count, i) => count > before[i]!), 60_000);
      const arrivals = lastArrival.map((at) => at - sent).sort((a, b) => a - b);
      rounds.push({ allMs: Math.round(arrivals.at(-1)!), p50Ms: Math.round(percentile(arrivals, 50)), p99Ms: Math.round(percentile(arrivals, 99)) });
    }
    console.log('fan-out', rounds);

    const resultsDir = path.join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
    writeFileSync(
      path.join(resultsDir, 'subscriptions.json'),
      `${JSON.stringify({ date: new Date().toISOString(), machine, bus: 'file log (default)', checkoutToSubscriber: latency, fanOut: { subscribers: FAN_OUT, rounds } }, null, 2)}\n`,
    );
    writeFileSync(
      path.join(resultsDir, 'subscriptions.md'),
      [
        '# Subscriptions through the gateway',
        '',
        `${new Date().toISOString()} on ${machine}; event bus: the file log (default); everything on this machine.`,
        '',
        '## Checkout → subscriber (myOrderUpdates with users, products and payments fields)',
        '',
        '| samples | p50 ms | p99 ms | max ms |',
        '|---:|---:|---:|---:|',
        `| ${latency.samples} | ${latency.p50Ms} | ${latency.p99Ms} | ${latency.maxMs} |`,
        '',
        `## Fan-out: ${FAN_OUT} graphql-ws subscribers of one order on one gateway`,
        '',
        'Time from sending the status change to each subscriber receiving it. The subscribers share one',
        'operation, variables and token, so the gateway makes one supergraph fetch per event for all of them.',
        '',
        '| round | p50 ms | p99 ms | all received ms |',
        '|---:|---:|---:|---:|',
        ...rounds.map((r, i) => `| ${i + 1} | ${r.p50Ms} | ${r.p99Ms} | ${r.allMs} |`),
        '',
        `Run time ${Math.round((Date.now() - started) / 1000)} s.`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
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
