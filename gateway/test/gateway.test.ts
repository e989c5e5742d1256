// The gateway's HTTP behaviour as a browser, a client and an operator see it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import { errorCodes, postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';
import { subgraphsOf } from '../src/subgraph-routing';

describe('gateway', () => {
  let supergraph: TestSupergraph;
  beforeAll(async () => {
    supergraph = await startTestSupergraph({ subgraphs: 'shared' });
  });
  afterAll(() => supergraph?.stop());

  it('shows a browser in development Apollo Sandbox, or the bundled GraphiQL when Apollo\'s CDN is out of reach', async () => {
    const response = await fetch(supergraph.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'`);
    // The browser decides (only it knows what it can reach): test/e2e/explorer runs it offline.
    const chooser = await fetch(new URL('/graphql-explorer/choose-explorer.js', supergraph.gatewayUrl));
    const script = await chooser.text();
    expect(script).toContain('https://embeddable-sandbox.cdn.apollographql.com/');
    expect(script).toContain('EmbeddedSandbox');
    expect(script).toContain('/graphql-explorer/graphiql.js');
  });

  it('probes the subgraphs of the supergraph it serves (its join__Graph values), not supergraph.yaml', () => {
    const sdl = readFileSync(path.join(repoRoot, 'gateway', 'supergraph.graphql'), 'utf8');
    expect(subgraphsOf(sdl).map((subgraph) => subgraph.name).sort()).toEqual(
      readSupergraphConfig().subgraphs.map((subgraph) => subgraph.name).sort(),
    );
    const bench = readFileSync(path.join(repoRoot, 'bench', 'gateway', 'supergraph.graphql'), 'utf8');
    expect(subgraphsOf(bench).map((subgraph) => subgraph.name).sort()).toEqual(['accounts', 'inventory', 'products', 'reviews']);
  });

  it('answers /health and /ready, ready once every subgraph is', async () => {
    const base = new URL(supergraph.gatewayUrl);
    expect((await fetch(new URL('/health', base))).status).toBe(200);
    const ready = await fetch(new URL('/ready', base));
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('allows the web origin by CORS and no other', async () => {
    const preflight = (origin: string) =>
      fetch(supergraph.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('http://localhost:3000')).headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF prevention)', async () => {
    const simpleGet = await fetch(`${supergraph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(simpleGet.status).toBe(400);
    const textPost = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(textPost.status).toBe(400);
    const withHeader = await fetch(`${supergraph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await withHeader.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers malformed and oversized bodies with a JSON error, never a stack trace', async () => {
    const malformed = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(malformed.status).toBe(400);
    const malformedBody = await malformed.text();
    expect(JSON.parse(malformedBody)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] });
    const oversized = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(2_000_000) } }),
    });
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'PAYLOAD_TOO_LARGE' } })] });
    expect(malformedBody).not.toMatch(/\.ts:\d+|node_modules/);
  });

  it('gives validation errors their codes', async () => {
    const response = await postGraphQL(supergraph.gatewayUrl, '{ noSuchField }');
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const parse = await postGraphQL(supergraph.gatewayUrl, '{ me { ');
    expect(errorCodes(parse)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
