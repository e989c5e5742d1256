// Forged and stale tokens: the gateway refuses each with UNAUTHENTICATED before any subgraph is
// called, and each subgraph refuses the same tokens when they are sent to it directly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, generateKeyPair, importPKCS8 } from 'jose';
import { loadJwtKeys, signAccessToken } from '@cloudmart/runtime';
import { bearer, postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/runtime/testing';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('forged tokens', () => {
  let graph: TestSupergraph;
  const forged: Record<string, string> = {};
  const totalRequests = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);

  beforeAll(async () => {
    graph = await startTestSupergraph();
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
});
