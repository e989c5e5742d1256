// First-party persisted queries: operations by id from the first-party manifests, automatic
// persisted queries (APQ) shared by every gateway replica through Redis, and safelisting.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { makeTempDir, startTestSupergraph, type TestSupergraph } from '@cloudmart/runtime/testing';
import { start as startGateway, type RunningGateway } from '../../src/server';
import { sha256Hex } from '../../src/security/persisted-queries';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A throw-away redis-server on a free loopback port, nothing persisted. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let attempt = 0; ; attempt += 1) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      probe.disconnect();
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  probe.disconnect();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] },
  }));
const apq = (query: string) => ({ version: 1, sha256Hash: sha256Hex(query) });

describe('first-party persisted queries', () => {
  const temp = makeTempDir('pq');
  const manifestFile = path.join(temp.dir, 'first-party.json');
  const MANIFEST_QUERY = 'query WebCategories { categories { id name } }';
  let redis: { url: string; stop(): Promise<void> };
  let graph: TestSupergraph;
  let replica: RunningGateway;
  let safelisted: RunningGateway;

  beforeAll(async () => {
    writeFileSync(
      manifestFile,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256Hex(MANIFEST_QUERY), name: 'WebCategories', type: 'query', body: MANIFEST_QUERY },
        ],
      }),
    );
    redis = await startRedis();
    graph = await startTestSupergraph({
      env: { REDIS_URL: redis.url, PERSISTED_QUERY_MANIFESTS: manifestFile },
    });
    // A second replica of the gateway over the same subgraphs and the same Redis.
    replica = await startGateway({ ...graph.env, PORT: '0' });
    safelisted = await startGateway({ ...graph.env, PORT: '0', PERSISTED_QUERIES_SAFELIST: 'true' });
  }, 120_000);
  afterAll(async () => {
    await safelisted?.stop();
    await replica?.stop();
    await graph?.stop();
    await redis?.stop();
    temp.remove();
  });

  it('runs an operation from a first-party manifest by id', async () => {
    const response = await post(graph.gatewayUrl, { extensions: { persistedQuery: apq(MANIFEST_QUERY) } });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ categories: expect.any(Array) });
  });

  it('registers an APQ hash on one replica and runs it by hash on another, through Redis', async () => {
    const query = `query Apq { categories { id productCount } }`;
    const unknown = await post(replica.url, { extensions: { persistedQuery: apq(query) } });
    expect(unknown.body.errors?.map((error) => error.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await post(graph.gatewayUrl, { query, extensions: { persistedQuery: apq(query) } });
    expect(registered.body.errors).toBeUndefined();
    let byHash = await post(replica.url, { extensions: { persistedQuery: apq(query) } });
    // Apollo Server stores the query without awaiting the write: wait for it to land.
    for (let attempt = 0; attempt < 50 && byHash.body.errors; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      byHash = await post(replica.url, { extensions: { persistedQuery: apq(query) } });
    }
    expect(byHash.body).toEqual(registered.body);
    const client = new Redis(redis.url);
    try {
      expect(await client.keys('cloudmart:apq:*')).toEqual(
        expect.arrayContaining([expect.stringContaining(sha256Hex(query))]),
      );
    } finally {
      client.disconnect();
    }
  });

  it('refuses an APQ hash that does not match its query', async () => {
    const response = await post(graph.gatewayUrl, {
      query: '{ categories { id } }',
      extensions: { persistedQuery: apq('{ other }') },
    });
    expect(response.status).toBe(400);
  });

  it('with safelisting on, runs manifest operations (by id or by body) and refuses anything else', async () => {
    expect((await post(safelisted.url, { query: MANIFEST_QUERY })).body.errors).toBeUndefined();
    expect(
      (await post(safelisted.url, { extensions: { persistedQuery: apq(MANIFEST_QUERY) } })).body.errors,
    ).toBeUndefined();
    const refused = await post(safelisted.url, { query: '{ categories { id } }' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.map((error) => error.extensions.code)).toEqual(['QUERY_NOT_IN_SAFELIST']);
  });
});
