// The partner API: operations by id from the partner's own manifest only, Apollo Router's codes and
// statuses for everything else, a rate limit per key, keys stored hashed, and only operations inside
// the partner contract (@tag(name: "partner")), at registration and at request time.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@cloudmart/runtime';
import { makeTempDir, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';
import { sha256Hex } from '@cloudmart/gateway/persisted-queries';

const run = promisify(execFile);

const manifestOf = (bodies: string[]) => ({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: bodies.map((body) => ({
    id: sha256Hex(body),
    name: /(?:query|mutation) (\w+)/.exec(body)?.[1],
    type: 'query',
    body,
  })),
});

const CATEGORIES = 'query PartnerCategories { categories { id name } }';
const PRODUCTS =
  'query PartnerProducts($first: Int) { products(first: $first) { edges { node { id name } } } }';
const LATER = 'query PartnerLater { categories { id } }';
/** Product.recommendations is public but not tagged "partner": outside the contract. */
const OUTSIDE =
  'query PartnerOutside { products(first: 1) { edges { node { id recommendations { id } } } } }';

async function register(env: NodeJS.ProcessEnv, name: string, manifest: string): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'scripts', 'register-partner.ts'),
      '--name',
      name,
      '--manifest',
      manifest,
    ],
    { cwd: repoRoot, env },
  );
  expect(stderr).toContain(`Registered partner ${name}`);
  return stdout.trim();
}

describe('partners', () => {
  const temp = makeTempDir('partners');
  const partnersFile = path.join(temp.dir, 'partners.json');
  const acmeManifest = path.join(temp.dir, 'acme.json');
  const burstyManifest = path.join(temp.dir, 'bursty.json');
  let graph: TestSupergraph;
  let acmeKey: string;
  let burstyKey: string;

  const send = (key: string | undefined, body: unknown, extraHeaders: Record<string, string> = {}) =>
    fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key !== undefined ? { 'x-api-key': key } : {}),
        ...extraHeaders,
      },
      body: JSON.stringify(body),
    });
  const byId = (key: string | undefined, query: string, variables: Record<string, unknown> = {}) =>
    send(key, { variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } });
  const totalRequests = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);

  beforeAll(async () => {
    writeFileSync(acmeManifest, JSON.stringify(manifestOf([CATEGORIES, PRODUCTS])));
    writeFileSync(burstyManifest, JSON.stringify(manifestOf([CATEGORIES])));
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: temp.dir, PARTNERS_FILE: partnersFile };
    acmeKey = await register(env, 'acme', acmeManifest);
    burstyKey = await register(env, 'bursty', burstyManifest);
    graph = await startTestSupergraph({
      subgraphs: 'shared',
      gatewayEnv: {
        PARTNERS_FILE: partnersFile,
        PARTNER_RATE_LIMIT_BURST: '10',
        PARTNER_RATE_LIMIT_PER_SECOND: '0.01',
      },
    });
  });
  afterAll(async () => {
    await graph?.stop();
    temp.remove();
  });
  beforeEach(() => graph.resetSubgraphRequests());

  it('prints the key once and stores only its hash', () => {
    expect(acmeKey).toMatch(/^cmk_[\w-]{32}$/);
    const stored = readFileSync(partnersFile, 'utf8');
    expect(stored).not.toContain(acmeKey);
    expect(stored).not.toContain(burstyKey);
    expect(JSON.parse(stored)).toEqual({
      partners: [
        expect.objectContaining({
          name: 'acme',
          // Beside the partners file: stored relative to it (the folder can be mounted anywhere).
          manifest: path.basename(acmeManifest),
          keyHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
        expect.objectContaining({ name: 'bursty', manifest: path.basename(burstyManifest) }),
      ],
    });
  });

  it("runs the manifest's operations by id, with variables, by POST and by GET", async () => {
    const response = await byId(acmeKey, PRODUCTS, { first: 2 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { products: { edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.products.edges.length).toBeLessThanOrEqual(2);
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256Hex(CATEGORIES) } });
    const get = await fetch(`${graph.gatewayUrl}?extensions=${encodeURIComponent(extensions)}`, {
      headers: { 'x-api-key': acmeKey, 'apollo-require-preflight': 'true' },
    });
    const text = await get.text();
    expect([get.status, text]).toEqual([200, expect.stringContaining('"categories"')]);
    expect((JSON.parse(text) as { data: { categories: unknown[] } }).data.categories.length).toBeGreaterThan(
      0,
    );
  });

  it('answers PERSISTED_QUERY_NOT_IN_LIST (404) for an id not in its manifest, another partner’s included', async () => {
    const unknown = await byId(acmeKey, '{ categories { id } }');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } })],
    });
    expect((await byId(burstyKey, PRODUCTS)).status).toBe(404); // in acme's manifest, not bursty's
    expect(totalRequests()).toBe(0);
  });

  it('answers PERSISTED_QUERY_ID_REQUIRED (400) for a query body, even one its manifest holds', async () => {
    for (const body of [{ query: '{ categories { id } }' }, { query: CATEGORIES }, {}]) {
      const response = await send(acmeKey, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } })],
      });
    }
    expect(totalRequests()).toBe(0);
  });

  it('refuses an unknown, empty or repeated x-api-key with UNAUTHENTICATED (401)', async () => {
    for (const key of ['cmk_not-a-real-key', '', acmeKey.slice(0, -1)]) {
      const response = await byId(key, CATEGORIES);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
      });
    }
    const repeated = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['x-api-key', acmeKey],
        ['x-api-key', acmeKey],
      ],
      body: JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(CATEGORIES) } },
      }),
    });
    expect(repeated.status).toBe(401);
    expect(totalRequests()).toBe(0);
  });

  it('limits each key to its rate: 429 with Retry-After, other keys unaffected', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 12 && !limited; attempt += 1) {
      const response = await byId(burstyKey, CATEGORIES);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited).toBeDefined();
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(9);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'REQUEST_RATE_LIMITED' } })],
    });
    expect((await byId(acmeKey, CATEGORIES)).status).toBe(200);
  });

  it('picks up a changed manifest without a restart', async () => {
    expect((await byId(acmeKey, LATER)).status).toBe(404);
    writeFileSync(acmeManifest, JSON.stringify(manifestOf([CATEGORIES, PRODUCTS, LATER])));
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await byId(acmeKey, LATER)).status;
    }
    expect(status).toBe(200);
  });

  it('refuses to register a manifest with an operation outside the partner contract, naming the path', async () => {
    const manifest = path.join(temp.dir, 'outside.json');
    writeFileSync(manifest, JSON.stringify(manifestOf([CATEGORIES, OUTSIDE])));
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: temp.dir, PARTNERS_FILE: partnersFile };
    const refused = await register(env, 'outside', manifest).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(
      'operation PartnerOutside: products.edges.node.recommendations (Product.recommendations) is not in the partner contract',
    );
    expect(readFileSync(partnersFile, 'utf8')).not.toContain('"outside"');
  });

  it('refuses an operation outside the contract even from a manifest edited on disk after registration', async () => {
    // Registered with a manifest inside the contract, into a copy of the partners file the gateway
    // does not watch; the manifest is then edited on disk, and only then does the copy replace the
    // watched file: the gateway first sees this partner with the edited manifest.
    const manifest = path.join(temp.dir, 'edited.json');
    writeFileSync(manifest, JSON.stringify(manifestOf([CATEGORIES])));
    const staging = path.join(temp.dir, 'partners.staging.json');
    copyFileSync(partnersFile, staging);
    const key = await register(
      { ...process.env, NODE_ENV: 'test', DATA_DIR: temp.dir, PARTNERS_FILE: staging },
      'edited',
      manifest,
    );
    writeFileSync(manifest, JSON.stringify(manifestOf([CATEGORIES, OUTSIDE])));
    renameSync(staging, partnersFile);
    graph.resetSubgraphRequests();
    let response = await byId(key, OUTSIDE);
    // 401 (spends nothing) until the gateway has read the new partners file.
    for (let attempt = 0; attempt < 100 && response.status === 401; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await byId(key, OUTSIDE);
    }
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining(
            'products.edges.node.recommendations (Product.recommendations) is not in the partner contract',
          ),
          extensions: { code: 'OUTSIDE_PARTNER_CONTRACT' },
        },
      ],
    });
    expect(totalRequests()).toBe(0);
    expect((await byId(key, CATEGORIES)).status).toBe(200);
  });
});
