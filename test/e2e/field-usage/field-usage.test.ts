// Field usage through running gateways (issue 24): a web-manifest operation, a partner's and a
// named client's are recorded under the right client, counted in /metrics and written to the
// usage file (FIELD_USAGE_FILE; by default DATA_DIR/usage/field-usage.json, which this file's
// gateway shares with the worker's other files); with REDIS_URL two gateways' counts merge into
// one snapshot. Subscriptions are recorded by their transports: graphql-ws (the client's name in
// connection_init, where a browser puts what it cannot send as a header) and multipart HTTP.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { readFieldUsage, type FieldUsageSnapshot } from '@cloudmart/gateway/usage';
import { start as startGateway } from '@cloudmart/gateway/server';
import { repoRoot, type RunningServer } from '@cloudmart/runtime';
import { writeWebManifest } from '@cloudmart/scripts/build';
import { createClient } from 'graphql-ws';
import {
  eventually,
  makeTempDir,
  mintCaller,
  startRedis,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const run = promisify(execFile);
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const PARTNER_QUERY = 'query PartnerCategories { categories { id name } }';
const NAMED_QUERY = 'query IosCategories($first: Int) { products(first: $first) { edges { node { id name } } } }';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe('field usage', () => {
  const temp = makeTempDir('field-usage');
  const usageFile = path.join(temp.dir, 'usage', 'field-usage.json');
  let graph: TestSupergraph;
  let partnerKey: string;
  let webOperation: { id: string; name: string; body: string };

  beforeAll(async () => {
    const webManifest = JSON.parse(readFileSync(writeWebManifest(), 'utf8')) as {
      operations: { id: string; name: string; type: string; body: string }[];
    };
    // The storefront's home page: a query a guest runs, with no required variables.
    webOperation = webManifest.operations.find((operation) => operation.name === 'Home')!;
    const partnersFile = path.join(temp.dir, 'partners.json');
    const manifest = path.join(temp.dir, 'acme.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256Hex(PARTNER_QUERY), name: 'PartnerCategories', type: 'query', body: PARTNER_QUERY }],
      }),
    );
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: temp.dir, PARTNERS_FILE: partnersFile };
    const registered = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts', 'register-partner.ts'), '--name', 'acme', '--manifest', manifest],
      { cwd: repoRoot, env },
    );
    partnerKey = registered.stdout.trim();
    // A short flush period: the test waits for the file with `eventually`, not for a fixed time.
    // The usage file in this test's folder: the worker's other gateways write theirs elsewhere.
    graph = await startTestSupergraph({
      subgraphs: 'shared',
      gatewayEnv: { PARTNERS_FILE: partnersFile, FIELD_USAGE_FILE: usageFile, FIELD_USAGE_FLUSH_SECONDS: '0.2' },
    });
  });
  afterAll(async () => {
    await graph?.stop();
    temp.remove();
  });

  it('records the web manifest, a partner and a named client under their own names, in /metrics and in the file', async () => {
    const web = await post(graph.gatewayUrl, byId(webOperation.id));
    expect(web.status).toBe(200);
    const partner = await post(graph.gatewayUrl, byId(sha256Hex(PARTNER_QUERY)), { 'x-api-key': partnerKey });
    expect(await partner.json()).toEqual({ data: { categories: expect.any(Array) } });
    for (let i = 0; i < 2; i += 1) {
      const named = await post(
        graph.gatewayUrl,
        { query: NAMED_QUERY, variables: { first: 1 } },
        { 'apollographql-client-name': 'ios-app' },
      );
      expect(named.status).toBe(200);
    }

    const metrics = await (await fetch(new URL('/metrics', graph.gatewayUrl))).text();
    expect(metrics).toMatch(/cloudmart_graphql_field_usage_total\{[^}]*client="acme"[^}]*field="Query\.categories"[^}]*\} 1\b/);
    expect(metrics).toMatch(/cloudmart_graphql_field_usage_total\{[^}]*client="ios-app"[^}]*field="Query\.products\(first\)"[^}]*\} 2\b/);

    const file = usageFile;
    // Written every 0.2 s: waited for until it holds every request above (an earlier write may not).
    const snapshot = await eventually(async () => {
      const read = await readFieldUsage({ file });
      expect(Object.keys(read.clients).sort()).toEqual(['acme', 'ios-app', 'web']);
      expect(Object.values(read.clients['ios-app']!.operations)).toEqual([
        { document: NAMED_QUERY, lastSeen: expect.any(String), count: 2 },
      ]);
      return read;
    });
    expect(snapshot.clients.web!.operations).toEqual({
      [webOperation.id]: { document: webOperation.body, lastSeen: expect.any(String), count: 1 },
    });
    expect(snapshot.clients.acme).toEqual({
      operations: { [sha256Hex(PARTNER_QUERY)]: { document: PARTNER_QUERY, lastSeen: expect.any(String), count: 1 } },
      fields: {
        'Query.categories': { lastSeen: expect.any(String), count: 1 },
        'Category.id': { lastSeen: expect.any(String), count: 1 },
        'Category.name': { lastSeen: expect.any(String), count: 1 },
      },
    });
    const ios = snapshot.clients['ios-app']!;
    expect(Object.keys(ios.operations)[0]).toMatch(/^IosCategories@[0-9a-f]{16}$/);
    expect(ios.fields['Query.products(first)']).toEqual({ lastSeen: expect.any(String), count: 2 });
    expect(Date.parse(ios.fields['Product.name']!.lastSeen)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('merges two gateways’ counts in Redis into the snapshot schema:check reads', async () => {
    const redis = await startRedis();
    const gateways: RunningServer[] = [];
    try {
      // Two more replicas over the same subgraphs, sharing Redis.
      for (let i = 0; i < 2; i += 1) {
        gateways.push(
          await startGateway({
            ...graph.env,
            PORT: '0',
            REDIS_URL: redis.url,
            FIELD_USAGE_FLUSH_SECONDS: '0.2',
          }),
        );
      }
      const [first, second] = gateways as [RunningServer, RunningServer];
      const send = (gateway: RunningServer) =>
        post(gateway.url, { query: NAMED_QUERY, variables: { first: 1 } }, { 'apollographql-client-name': 'replicated' });
      for (const response of await Promise.all([send(first), send(first), send(second), send(second), send(second)])) {
        expect(response.status).toBe(200);
      }
      const merged: FieldUsageSnapshot = await eventually(async () => {
        const read = await readFieldUsage({ redisUrl: redis.url });
        expect(read.clients.replicated?.fields['Query.products']?.count).toBe(5);
        return read;
      });
      expect(Object.values(merged.clients.replicated!.operations)).toEqual([
        { document: NAMED_QUERY, lastSeen: expect.any(String), count: 5 },
      ]);
      expect(merged.clients.replicated!.fields['Query.products(first)']!.count).toBe(5);
      // Stopping flushes once more and adds nothing twice.
      for (const gateway of gateways.splice(0)) await gateway.stop();
      expect((await readFieldUsage({ redisUrl: redis.url })).clients.replicated!.fields['Query.products']!.count).toBe(5);
    } finally {
      for (const gateway of gateways) await gateway.stop();
      await redis.stop();
    }
  });

  it('records subscriptions over graphql-ws and multipart HTTP under the client they name', async () => {
    const shopper = await mintCaller(graph);
    const SUBSCRIPTION = 'subscription MyOrders { myOrderUpdates { id status } }';
    const ws = createClient({
      url: graph.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: shopper.headers.authorization, 'apollographql-client-name': 'android-app' },
      retryAttempts: 0,
    });
    const failures: unknown[] = [];
    const unsubscribe = ws.subscribe({ query: SUBSCRIPTION }, { next: () => {}, error: (error) => failures.push(error), complete: () => {} });
    const multipart = new AbortController();
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'multipart/mixed;subscriptionSpec="1.0"',
        'apollographql-client-name': 'tv-app',
        ...shopper.headers,
      },
      body: JSON.stringify({ query: SUBSCRIPTION }),
      signal: multipart.signal,
    });
    try {
      expect(response.status).toBe(200);
      const snapshot = await eventually(async () => {
        const read = await readFieldUsage({ file: usageFile });
        expect(read.clients['android-app']?.fields['Subscription.myOrderUpdates']?.count).toBe(1);
        expect(read.clients['tv-app']?.fields['Subscription.myOrderUpdates']?.count).toBe(1);
        return read;
      });
      for (const client of ['android-app', 'tv-app']) {
        expect(Object.values(snapshot.clients[client]!.operations)).toEqual([
          { document: SUBSCRIPTION, lastSeen: expect.any(String), count: 1 },
        ]);
        expect(snapshot.clients[client]!.fields['Order.status']?.count).toBe(1);
      }
      expect(failures).toEqual([]);
    } finally {
      unsubscribe();
      await ws.dispose();
      multipart.abort();
    }
  });
});
