// Observability of the real services: a federated query through our gateway, with an in-memory
// OpenTelemetry exporter, leaves one trace holding the gateway's spans and every subgraph's it
// reached (W3C trace context on each fetch); /metrics on the gateway and on a subgraph exposes the
// series docs/observability.md lists.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { repoRoot } from '@cloudmart/runtime';
import { startTracing, type Tracing } from '@cloudmart/runtime/observability';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  gql,
  mintCaller,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { randomUUID } from 'node:crypto';

describe('observability through the gateway', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let graph: TestSupergraph;
  let shopper: Caller;
  let orderId: string;

  beforeAll(async () => {
    tracing = (await startTracing({ service: 'cloudmart-test', exporter }))!;
    graph = await startTestSupergraph();
    const admin = await mintCaller(graph, 'ADMIN');
    shopper = await mintCaller(graph, 'CUSTOMER');
    const productId = await createProduct(graph, admin, { stock: 5, name: 'Traced item' });
    await addToCart(graph, shopper, productId, 1);
    orderId = dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' })).checkout.id;
  });
  afterAll(async () => {
    await graph?.stop();
    await tracing?.shutdown();
  });

  it('one trace holds the gateway’s spans and the spans of each subgraph the plan fetched from', async () => {
    exporter.reset();
    const read = await gql(
      graph,
      'query TracedOrder($id: ID!) { order(id: $id) { status items { product { name } } payment { status } } }',
      { id: orderId },
      shopper,
    );
    expect(dataOf(read)).toEqual({
      order: { status: 'PAID', items: [{ product: { name: 'Traced item' } }], payment: { status: 'AUTHORIZED' } },
    });
    await tracing.provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === 'gateway.request');
    expect(request).toBeDefined();
    const trace = spans.filter((span) => span.spanContext().traceId === request!.spanContext().traceId);
    const names = trace.map((span) => span.name);
    expect(names.filter((name) => name === 'gateway.fetch').length).toBeGreaterThanOrEqual(3);
    // Each subgraph's server span names its service and the client's operation.
    for (const service of ['orders', 'products', 'payments']) {
      expect(names).toContain(`${service} query TracedOrder`);
    }
  });

  it('/metrics exposes the documented series on the gateway and on a subgraph', async () => {
    const documented = [...readFileSync(path.join(repoRoot, 'docs', 'observability.md'), 'utf8').matchAll(/`(cloudmart_[a-z_]+)`/g)].map(
      (match) => match[1]!,
    );
    const metricsOf = async (graphqlUrl: string) => (await fetch(new URL('/metrics', graphqlUrl))).text();
    const gateway = await metricsOf(graph.gatewayUrl);
    const orders = await metricsOf(graph.subgraphUrls.orders!);
    for (const series of ['cloudmart_graphql_requests_total', 'cloudmart_graphql_request_duration_seconds', 'cloudmart_subgraph_fetch_duration_seconds']) {
      expect(gateway).toContain(`${series}`);
    }
    expect(gateway).toMatch(/cloudmart_graphql_requests_total\{[^}]*operation="TracedOrder"[^}]*\} \d+/);
    expect(gateway).toMatch(/cloudmart_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="payments"[^}]*\} \d+/);
    expect(orders).toMatch(/cloudmart_outbox_backlog_events\{[^}]*service="orders"[^}]*\} \d+/);
    expect(gateway).toMatch(/cloudmart_event_consumer_lag_events\{[^}]*group="gateway-[^"]+"[^}]*topic="orders.events"[^}]*\} \d+/);
    for (const series of new Set(documented)) expect(`${gateway}\n${orders}`).toContain(`# TYPE ${series}`);
    // A busy gateway stays observable: its event loop's lag (the worst since the last scrape too).
    expect(gateway).toMatch(/nodejs_eventloop_lag_max_seconds\{[^}]*service="gateway"[^}]*\} [\d.e-]+/);
  });
});
