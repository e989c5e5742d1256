// The HTTP edge: CSRF prevention (a preflight is required), batched operations, oversized bodies,
// and production mode (no introspection, no Sandbox, masked errors).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  errorCodes,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { start as startGateway, type RunningGateway } from '@cloudmart/gateway/server';

describe('the HTTP edge', () => {
  let graph: TestSupergraph;
  let production: RunningGateway;
  const totalRequests = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    const keyFile = (name: string) =>
      JSON.parse(readFileSync(path.join(graph.env.DATA_DIR!, 'keys', name), 'utf8')) as {
        publicPem: string;
        privatePem: string;
      };
    // Production refuses to start without configured keys: give it the test supergraph's own.
    const gatewayPems = keyFile('gateway-es256.json');
    production = await startGateway({
      ...graph.env,
      NODE_ENV: 'production',
      PORT: '0',
      JWT_PUBLIC_KEY: keyFile('jwt-es256.json').publicPem,
      GATEWAY_TOKEN_PUBLIC_KEY: gatewayPems.publicPem,
      GATEWAY_TOKEN_PRIVATE_KEY: gatewayPems.privatePem,
      PARTNER_KEY_PEPPER: 'a-production-pepper-for-tests',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    await production?.stop();
    await graph?.stop();
  });
  beforeEach(() => graph.resetSubgraphRequests());

  describe('CSRF prevention', () => {
    it('refuses every request a browser can send cross-site without a preflight', async () => {
      const simple: RequestInit[] = [
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ query: 'mutation { logIn(email: "a@b.c", password: "x") { token } }' }),
        },
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'query=%7B%20categories%20%7B%20id%20%7D%20%7D',
        },
        {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ categories { id } }\r\n--x--',
        },
      ];
      for (const init of simple) {
        const response = await fetch(graph.gatewayUrl, init);
        expect([init.headers, response.status]).toEqual([init.headers, 400]);
      }
      const get = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ categories { id } }')}`);
      expect(get.status).toBe(400);
      expect(totalRequests()).toBe(0);
    });

    it('refuses a mutation over GET even with the preflight header', async () => {
      const response = await fetch(
        `${graph.gatewayUrl}?query=${encodeURIComponent('mutation { removeFromCart(productId: "x") { subtotal { amount } } }')}`,
        {
          headers: { 'apollo-require-preflight': 'true' },
        },
      );
      expect(response.status).toBe(405);
      expect(totalRequests()).toBe(0);
    });
  });

  describe('batched-operation abuse', () => {
    it('refuses an array of operations in one request', async () => {
      const batch = Array.from({ length: 100 }, () => ({ query: '{ categories { id } }' }));
      const response = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      expect(response.status).toBe(400);
      expect(totalRequests()).toBe(0);
    });

    it('runs only the named operation of a document holding many, and refuses an unnamed choice', async () => {
      const many = Array.from({ length: 50 }, (_, index) => `query Q${index} { categories { id } }`).join(
        '\n',
      );
      const unnamed = await postGraphQL(graph.gatewayUrl, many);
      expect(unnamed.status).toBe(400);
      expect(errorCodes(unnamed)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
      expect(totalRequests()).toBe(0);
      const named = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: many, operationName: 'Q7' }),
      });
      expect(named.status).toBe(200);
      expect(graph.subgraphRequests.products).toBe(1);
    });

    it('applies the alias limit to the many-mutations-in-one-operation trick', async () => {
      const attempts = Array.from(
        { length: 100 },
        (_, index) => `t${index}: logIn(email: "victim@example.com", password: "guess${index}") { token }`,
      );
      const response = await postGraphQL(graph.gatewayUrl, `mutation { ${attempts.join(' ')} }`);
      expect(errorCodes(response)).toEqual(['MAX_ALIASES_LIMIT']);
      expect(totalRequests()).toBe(0);
    });
  });

  it('refuses a body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ categories { id } }', variables: { pad: 'x'.repeat(1_500_000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'PAYLOAD_TOO_LARGE' } })],
    });
    expect(totalRequests()).toBe(0);
  });

  describe('production mode', () => {
    it('refuses introspection and serves no Sandbox', async () => {
      const introspection = await postGraphQL(production.url, '{ __schema { types { name } } }');
      expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(
        (await postGraphQL(graph.gatewayUrl, '{ __schema { queryType { name } } }')).errors,
      ).toBeUndefined();
      const page = await fetch(production.url, { headers: { accept: 'text/html' } });
      const html = await page.text();
      expect(html).not.toContain('EmbeddedSandbox');
      expect(html).not.toContain('graphql-explorer'); // nor the bundled GraphiQL
      expect((await fetch(new URL('/graphql-explorer/graphiql.js', production.url))).status).toBe(404);
    });

    it('keeps security errors readable and never sends stack traces', async () => {
      const tooDeep = await postGraphQL(
        production.url,
        `{ product(id: "x") { ${'recommendations { '.repeat(20)}id${' }'.repeat(20)} } }`,
      );
      expect(errorCodes(tooDeep)).toEqual(['MAX_DEPTH_LIMIT']);
      const unauthorized = await postGraphQL(production.url, '{ me { id } categories { id } }');
      expect(errorCodes(unauthorized)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      for (const response of [tooDeep, unauthorized, await postGraphQL(production.url, '{ nope }')]) {
        expect(JSON.stringify(response)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
      }
    });
  });
});
