// src/observability: a federated query through a real @apollo/gateway and a real subgraph over
// HTTP, with an in-memory span exporter: one trace holds the gateway's spans and the subgraph's,
// linked by the W3C traceparent header; /metrics serves the series docs/observability.md lists;
// the subgraph's log lines carry the trace id.
import http from 'node:http';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { GraphQLError, parse } from 'graphql';
import pino from 'pino';
import { loadInternalTokenKeys, signInternalToken } from '../src/internal-token';
import {
  createServiceMetrics,
  injectTraceContext,
  startTracing,
  type Tracing,
} from '../src/observability';
import { startSubgraphServer, type BaseContext, type RunningServer } from '../src/subgraph-server';
import { listenOnLoopback, makeTempDir } from '@cloudmart/test-kit';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { greeting(name: String!): String! }
`);

/** Samples of Prometheus's text format: `name{label="value",…} value`. */
function samples(text: string) {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name = '', labels = '', value = ''] = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      return {
        name,
        labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
        value: Number(value),
      };
    });
}
const sample = (text: string, name: string, labels: Record<string, string>) =>
  samples(text).find(
    (candidate) =>
      candidate.name === name &&
      Object.keys(candidate.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  )?.value;

describe('observability: traces across gateway and subgraph, metrics, log correlation', () => {
  const temp = makeTempDir('observability');
  const exporter = new InMemorySpanExporter();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const subgraphMetrics = createServiceMetrics('greeter', { defaultMetrics: false });
  const gatewayMetrics = createServiceMetrics('gateway', { defaultMetrics: false });
  let tracing: Tracing;
  let subgraph: RunningServer;
  let gateway: ApolloServer;
  let gatewayUrl: string;

  const post = async (query: string, operationName: string) => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName }),
    });
    return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };

  beforeAll(async () => {
    tracing = (await startTracing({ service: 'test', exporter }))!;
    const gatewayKeys = await loadInternalTokenKeys({ NODE_ENV: 'test', DATA_DIR: temp.dir }, { needPrivateKey: true });
    const internalToken = `Bearer ${await signInternalToken(gatewayKeys, null)}`;
    subgraph = await startSubgraphServer<BaseContext>({
      name: 'greeter',
      typeDefs,
      resolvers: {
        Query: {
          greeting: async (_parent: unknown, { name }: { name: string }, context: BaseContext) => {
            if (name === 'nobody')
              throw new GraphQLError('No such person', { extensions: { code: 'NOT_FOUND' } });
            context.log.info({ name }, 'greeting someone');
            return `Hello, ${name}!`;
          },
        },
      },
      port: 0,
      host: '127.0.0.1',
      production: false,
      gatewayKeys,
      log: pino({ level: 'info', base: { service: 'greeter' } }, sink),
      createContext: (base) => base,
      // startSubgraphServer adds the tracing plugin, the metrics plugin and GET /metrics itself.
      metrics: subgraphMetrics,
    });

    const composed = composeServices([{ name: 'greeter', typeDefs, url: subgraph.url }]);
    if (composed.errors) throw new Error(composed.errors.map(String).join('\n'));
    gateway = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl: composed.supergraphSdl,
        buildService: ({ name, url }) =>
          new (class extends RemoteGraphQLDataSource {
            override willSendRequest({
              request,
            }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
              if (!request.http) return;
              injectTraceContext(request.http.headers);
              request.http.headers.set('authorization', internalToken);
            }
            override async process(options: Parameters<RemoteGraphQLDataSource['process']>[0]) {
              const started = process.hrtime.bigint();
              try {
                const response = await super.process(options);
                gatewayMetrics.recordSubgraphFetch(
                  name,
                  Number(process.hrtime.bigint() - started) / 1e9,
                  !response.errors?.length,
                );
                return response;
              } catch (error) {
                gatewayMetrics.recordSubgraphFetch(
                  name,
                  Number(process.hrtime.bigint() - started) / 1e9,
                  false,
                );
                throw error;
              }
            }
          })({ url }),
      }),
      plugins: [gatewayMetrics.plugin()],
    });
    gatewayUrl = (await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } })).url;
  });

  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.stop();
    await tracing?.shutdown();
    temp.remove();
  });

  it('records one trace with the gateway spans and the subgraph spans, linked by traceparent', async () => {
    exporter.reset();
    const response = await post('query Greet { greeting(name: "Ada") }', 'Greet');
    expect(response).toEqual({ data: { greeting: 'Hello, Ada!' } });
    await tracing.provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === 'gateway.request')!;
    const fetchSpan = spans.find((span) => span.name === 'gateway.fetch')!;
    const server = spans.find((span) => span.name === 'greeter query Greet')!;
    expect({
      request: !!request,
      fetch: !!fetchSpan,
      server: !!server,
      names: spans.map((span) => span.name),
    }).toMatchObject({
      request: true,
      fetch: true,
      server: true,
    });
    const traceIds = new Set([request, fetchSpan, server].map((span) => span.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    expect(server.parentSpanId).toBe(fetchSpan.spanContext().spanId);
    expect(server.attributes['graphql.operation.name']).toBe('Greet');

    const logged = lines.find((line) => line.msg === 'greeting someone')!;
    expect(logged.trace_id).toBe(server.spanContext().traceId);
    expect(logged.span_id).toBe(server.spanContext().spanId);
  });

  it('serves the documented series at /metrics: requests, latency and errors per operation', async () => {
    const failed = await post('query Missing { greeting(name: "nobody") }', 'Missing');
    expect(failed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    subgraphMetrics.setConsumerLag('insights', 'orders.events', 7);
    subgraphMetrics.setOutboxBacklog(3, 12.5);

    const response = await fetch(subgraph.url.replace(/\/graphql$/, '/metrics'));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const greet = { operation: 'Greet', operation_type: 'query', service: 'greeter' };
    expect(sample(text, 'cloudmart_graphql_requests_total', greet)).toBe(1);
    expect(sample(text, 'cloudmart_graphql_request_duration_seconds_count', greet)).toBe(1);
    expect(sample(text, 'cloudmart_graphql_request_duration_seconds_bucket', { ...greet, le: '+Inf' })).toBe(
      1,
    );
    expect(
      sample(text, 'cloudmart_graphql_errors_total', {
        operation: 'Missing',
        code: 'NOT_FOUND',
        service: 'greeter',
      }),
    ).toBe(1);
    expect(
      sample(text, 'cloudmart_event_consumer_lag_events', {
        group: 'insights',
        topic: 'orders.events',
        service: 'greeter',
      }),
    ).toBe(7);
    expect(sample(text, 'cloudmart_outbox_backlog_events', { service: 'greeter' })).toBe(3);
    expect(sample(text, 'cloudmart_outbox_oldest_unsent_age_seconds', { service: 'greeter' })).toBe(12.5);

    const gatewayText = await gatewayMetrics.registry.metrics();
    expect(
      sample(gatewayText, 'cloudmart_subgraph_fetch_duration_seconds_count', {
        subgraph: 'greeter',
        service: 'gateway',
      }),
    ).toBe(2);
    expect(
      sample(gatewayText, 'cloudmart_subgraph_fetch_errors_total', {
        subgraph: 'greeter',
        service: 'gateway',
      }),
    ).toBe(1);
    expect(sample(gatewayText, 'cloudmart_graphql_requests_total', { ...greet, service: 'gateway' })).toBe(1);
    expect(
      sample(gatewayText, 'cloudmart_graphql_errors_total', {
        operation: 'Missing',
        code: 'NOT_FOUND',
        service: 'gateway',
      }),
    ).toBe(1);
  });

  it('caps the operation label: names past the limit count as `other`', async () => {
    const metrics = createServiceMetrics('cap', { defaultMetrics: false });
    const plugin = metrics.plugin();
    const run = async (operationName: string) => {
      const listener = await plugin.requestDidStart!({} as never);
      await listener!.willSendResponse!({
        operationName,
        request: {},
        operation: { operation: 'query' },
        response: { body: { kind: 'single', singleResult: {} } },
      } as never);
    };
    for (let i = 0; i < 501; i += 1) await run(`Op${i}`);
    const text = await metrics.registry.metrics();
    expect(text).toContain('operation="Op499"');
    expect(text).not.toContain('operation="Op500"');
    expect(
      sample(text, 'cloudmart_graphql_requests_total', {
        operation: 'other',
        operation_type: 'query',
        service: 'cap',
      }),
    ).toBe(1);
  });
});

describe('startTracing with an OTLP endpoint', () => {
  it('loads the OTLP exporter and sends the spans there over HTTP, flushed at shutdown', async () => {
    const received: { path: string; contentType: string; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const { port, close } = await listenOnLoopback(collector);
    try {
      const tracing = await startTracing({ service: 'otlp-test', otlpEndpoint: `http://127.0.0.1:${port}/v1/traces` });
      expect(tracing).toBeDefined();
      trace.getTracer('otlp-test').startSpan('checkout-span').end();
      await tracing!.shutdown();

      expect(received).toHaveLength(1);
      expect(received[0]!.path).toBe('/v1/traces');
      expect(received[0]!.contentType).toMatch(/^application\/json/);
      expect(received[0]!.body).toContain('checkout-span');
      expect(received[0]!.body).toContain('otlp-test');
    } finally {
      await close();
    }
  });

  it('is a no-op without an endpoint or exporter', async () => {
    expect(await startTracing({ service: 'none' })).toBeUndefined();
  });
});
