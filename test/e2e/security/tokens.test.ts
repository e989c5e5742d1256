// Forged and stale tokens: the gateway refuses each with UNAUTHENTICATED before any subgraph is
// called, and each subgraph refuses the same tokens when they are sent to it directly. Subgraph
// trust: subgraphs accept only the gateway's internal tokens, so even a genuine access token sent
// straight to a subgraph, or a forged `_entities` request, gets UNAUTHENTICATED.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, generateKeyPair, importPKCS8 } from 'jose';
import { INTERNAL_TOKEN_AUDIENCE, INTERNAL_TOKEN_ISSUER, loadJwtKeys, signAccessToken } from '@cloudmart/runtime';
import { asGateway, bearer, postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('forged tokens', () => {
  let graph: TestSupergraph;
  const forged: Record<string, string> = {};
  const totalRequests = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    // The real signing key of this supergraph (development keys under DATA_DIR), to forge claims with.
    const pems = JSON.parse(
      readFileSync(path.join(graph.env.DATA_DIR!, 'keys', 'jwt-es256.json'), 'utf8'),
    ) as { privatePem: string };
    const realKey = await importPKCS8(pems.privatePem, 'ES256');
    const claims = { role: 'ADMIN', sub: 'attacker' };
    const now = Math.floor(Date.now() / 1000);
    forged['alg none'] =
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, iss: 'cloudmart', aud: 'cloudmart-api', iat: now, exp: now + 600 })}.`;
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    forged['wrong key'] = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('attacker')
      .setIssuer('cloudmart')
      .setAudience('cloudmart-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(otherKey);
    forged.expired = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('attacker')
      .setIssuer('cloudmart')
      .setAudience('cloudmart-api')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(realKey);
    forged['wrong audience'] = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('attacker')
      .setIssuer('cloudmart')
      .setAudience('some-other-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(realKey);
    forged['wrong issuer'] = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('attacker')
      .setIssuer('evil')
      .setAudience('cloudmart-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(realKey);
    forged['HS256 keyed with the public key'] = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('attacker')
      .setIssuer('cloudmart')
      .setAudience('cloudmart-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(
        new TextEncoder().encode(
          JSON.parse(readFileSync(path.join(graph.env.DATA_DIR!, 'keys', 'jwt-es256.json'), 'utf8'))
            .publicPem as string,
        ),
      );
    forged['tampered role'] = await (async () => {
      const keys = await loadJwtKeys(
        {
          ...graph.env,
          NODE_ENV: 'test',
          DATA_DIR: graph.env.DATA_DIR!,
          JWT_ISSUER: 'cloudmart',
          JWT_AUDIENCE: 'cloudmart-api',
        },
        { needPrivateKey: true },
      );
      const genuine = await signAccessToken(keys, { userId: 'someone', role: 'CUSTOMER' });
      const [header, payload, signature] = genuine.split('.');
      const claimsOf = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      return `${header}.${base64url({ ...claimsOf, role: 'ADMIN' })}.${signature}`;
    })();
  });
  afterAll(() => graph?.stop());
  beforeEach(() => graph.resetSubgraphRequests());

  it('refuses every forged token at the gateway with UNAUTHENTICATED, calling no subgraph', async () => {
    for (const [kind, token] of Object.entries(forged)) {
      const response = await postGraphQL(
        graph.gatewayUrl,
        '{ me { id role } tickets { id } }',
        {},
        bearer(token),
      );
      expect([kind, response.errors?.map((error) => error.extensions?.code)]).toEqual([
        kind,
        ['UNAUTHENTICATED'],
      ]);
      expect([kind, response.data ?? null]).toEqual([kind, null]);
    }
    const malformed = await postGraphQL(
      graph.gatewayUrl,
      '{ categories { id } }',
      {},
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
    );
    expect(malformed.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(totalRequests()).toBe(0);
  });

  it('refuses the same tokens at each subgraph called directly', async () => {
    const direct: Record<string, string> = {
      users: '{ me { id } }',
      support: '{ tickets { id } }',
      orders: '{ cart { subtotal { amount } } }',
    };
    for (const [subgraph, query] of Object.entries(direct)) {
      for (const [kind, token] of Object.entries(forged)) {
        const response = await postGraphQL(graph.subgraphUrls[subgraph]!, query, {}, bearer(token));
        expect([subgraph, kind, response.errors?.map((error) => error.extensions?.code)]).toEqual([
          subgraph,
          kind,
          ['UNAUTHENTICATED'],
        ]);
      }
    }
  });

  it('subgraph trust: every subgraph refuses a forged `_entities` request unless the gateway signed it', async () => {
    // One entity type each subgraph resolves (recommendations and insights: Product; support has none).
    const entityOf: Record<string, string> = {
      users: 'User',
      products: 'Product',
      orders: 'User',
      payments: 'Order',
      recommendations: 'Product',
      insights: 'Product',
    };
    const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const userKeys = await loadJwtKeys(
      { ...graph.env, NODE_ENV: 'test', DATA_DIR: graph.env.DATA_DIR!, JWT_ISSUER: 'cloudmart', JWT_AUDIENCE: 'cloudmart-api' },
      { needPrivateKey: true },
    );
    const admin = { userId: 'attacker', role: 'ADMIN' as const };
    // The gateway's own development key, to forge tokens that fail only one check each.
    const gatewayPems = JSON.parse(
      readFileSync(path.join(graph.env.DATA_DIR!, 'keys', 'gateway-es256.json'), 'utf8'),
    ) as { privatePem: string };
    const gatewayKey = await importPKCS8(gatewayPems.privatePem, 'ES256');
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const internal = (audience = INTERNAL_TOKEN_AUDIENCE) =>
      new SignJWT({ role: 'ADMIN' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('attacker')
        .setIssuer(INTERNAL_TOKEN_ISSUER)
        .setAudience(audience);
    const now = Math.floor(Date.now() / 1000);
    const attempts: Record<string, Record<string, string>> = {
      'no token': {},
      "a genuine admin's access token": bearer(await signAccessToken(userKeys, admin)),
      'internal claims signed by another key': bearer(await internal().setIssuedAt().setExpirationTime('1m').sign(otherKey)),
      'expired internal token': bearer(await internal().setIssuedAt(now - 300).setExpirationTime(now - 180).sign(gatewayKey)),
      'internal token for the public audience': bearer(await internal('cloudmart-api').setIssuedAt().setExpirationTime('1m').sign(gatewayKey)),
      'alg none': bearer(
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ role: 'ADMIN', sub: 'attacker', iss: INTERNAL_TOKEN_ISSUER, aud: INTERNAL_TOKEN_AUDIENCE, iat: now, exp: now + 60 })}.`,
      ),
    };
    for (const [subgraph, typename] of Object.entries(entityOf)) {
      const variables = { r: [{ __typename: typename, id: 'some-id' }] };
      for (const [kind, headers] of Object.entries(attempts)) {
        const response = await postGraphQL(graph.subgraphUrls[subgraph]!, ENTITIES, variables, headers);
        expect([subgraph, kind, response.status, response.errors?.map((error) => error.extensions?.code), response.data ?? null]).toEqual([
          subgraph,
          kind,
          401,
          ['UNAUTHENTICATED'],
          null,
        ]);
      }
      // The same request with the gateway's token for that caller reaches the resolvers.
      const trusted = await postGraphQL(graph.subgraphUrls[subgraph]!, ENTITIES, variables, await asGateway(graph.env, admin));
      expect([subgraph, trusted.status]).toEqual([subgraph, 200]);
      const codes = trusted.errors?.map((error) => error.extensions?.code) ?? [];
      // Resolved (to null or a stub for an unknown id), not refused.
      const entities = (trusted.data as { _entities?: unknown[] } | null)?._entities;
      expect([subgraph, codes.includes('UNAUTHENTICATED'), entities?.length]).toEqual([subgraph, false, 1]);
    }
    // support has no entity to resolve: its root fields are refused the same way.
    const support = await postGraphQL(graph.subgraphUrls.support!, '{ myTickets { id } }', {}, attempts["a genuine admin's access token"]!);
    expect(support.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
