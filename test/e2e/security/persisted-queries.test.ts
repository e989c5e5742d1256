// First-party persisted queries: operations by id from the first-party manifests, automatic
// persisted queries (APQ) shared by every gateway replica through Redis, and safelisting; and the
// partner rate limit, also shared by the replicas through Redis.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { makeTempDir, startRedis, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';
import { start as startGateway, type RunningGateway } from '@cloudmart/gateway/server';
import { registerPartner } from '@cloudmart/gateway/partners';
import { sha256Hex } from '@cloudmart/gateway/persisted-queries';

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
      subgraphs: 'shared',
      gatewayEnv: {
        REDIS_URL: redis.url,
        PERSISTED_QUERY_MANIFESTS: manifestFile,
        // A small, slow bucket, so that the shared limit shows within a few requests.
        PARTNER_RATE_LIMIT_BURST: '4',
        PARTNER_RATE_LIMIT_PER_SECOND: '0.1',
      },
    });
    // A second replica of the gateway over the same subgraphs and the same Redis.
    replica = await startGateway({ ...graph.env, PORT: '0' });
    safelisted = await startGateway({ ...graph.env, PORT: '0', PERSISTED_QUERIES_SAFELIST: 'true' });
  });
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

  it('limits a partner across replicas through Redis: one bucket, not one per replica', async () => {
    const { key } = registerPartner(
      { NODE_ENV: 'test', DATA_DIR: graph.env.DATA_DIR! },
      'shared-limit',
      manifestFile,
    );
    const byId = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ extensions: { persistedQuery: apq(MANIFEST_QUERY) } }),
      });
    // Both replicas notice the new partner (they watch the partners file); this spends tokens too.
    let spent = 0;
    for (const url of [graph.gatewayUrl, replica.url]) {
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await byId(url)).status;
      }
      expect(status).toBe(200);
      spent += 1;
    }
    // Alternate between the replicas: with a bucket each, 4 + 4 requests would pass; shared, only
    // the 4 of the burst (less the 2 spent above, plus at most one refill at 0.1/s) do.
    const statuses: Record<string, number[]> = { first: [], second: [] };
    for (let round = 0; round < 4; round += 1) {
      statuses.first!.push((await byId(graph.gatewayUrl)).status);
      statuses.second!.push((await byId(replica.url)).status);
    }
    const passed = [...statuses.first!, ...statuses.second!].filter((status) => status === 200).length;
    expect(passed + spent).toBeLessThanOrEqual(5);
    expect(statuses.first).toContain(429);
    expect(statuses.second).toContain(429);
    const client = new Redis(redis.url);
    try {
      expect(await client.exists('cloudmart:rate:partner:shared-limit')).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});
