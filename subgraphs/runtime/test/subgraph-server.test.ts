import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { parse } from 'graphql';
import pino from 'pino';
import { loadJwtKeys, signAccessToken, type Identity } from '../src/auth';
import {
  INTERNAL_TOKEN_AUDIENCE,
  INTERNAL_TOKEN_ISSUER,
  loadInternalTokenKeys,
  signInternalToken,
  type InternalTokenKeys,
} from '../src/internal-token';
import { startSubgraphServer, type BaseContext, type RunningServer } from '../src/subgraph-server';
import { CloseStack } from '../src/close-stack';
import { baseConfigSchema, loadConfig } from '../src/config';
import { defineSubgraph, type SubgraphParts, type SubgraphSetup, type SubgraphConfig } from '../src/define-subgraph';
import { bearer, errorCodes, makeTempDir, postGraphQL } from '@cloudmart/test-kit';

describe('subgraph server bootstrap', () => {
  const temp = makeTempDir('bootstrap');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let server: RunningServer;
  let gatewayKeys: InternalTokenKeys;
  let asGuest: { authorization: string };

  beforeAll(async () => {
    gatewayKeys = await loadInternalTokenKeys({ NODE_ENV: 'test', DATA_DIR: temp.dir }, { needPrivateKey: true });
    asGuest = bearer(await signInternalToken(gatewayKeys, null));
    server = await startSubgraphServer<BaseContext>({
      name: 'probe',
      typeDefs: parse(`type Query { hello: String! boom: String! whoami: String }`),
      resolvers: {
        Query: {
          hello: () => 'world',
          boom: () => {
            throw new Error('connection string postgres://secret@db leaked');
          },
          whoami: (_parent: unknown, _args: unknown, context: BaseContext) =>
            context.identity ? `${context.identity.userId}/${context.identity.role}` : null,
        },
      },
      port: 0,
      host: '127.0.0.1',
      production: false,
      gatewayKeys: { publicKey: gatewayKeys.publicKey },
      log: pino({ level: 'info' }, sink),
      createContext: (base) => base,
    });
  });
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('logs one line per operation with its request id', async () => {
    const response = await postGraphQL(server.url, 'query Greeting { hello }', {}, { 'x-request-id': 'req-42', ...asGuest });
    expect(response.data).toEqual({ hello: 'world' });
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'graphql request', requestId: 'req-42', operationName: 'Greeting', errors: 0 }),
    );
  });

  it('masks unexpected errors: a generic message and code for the client, the details in the log', async () => {
    const response = await postGraphQL(server.url, '{ boom }', {}, asGuest);
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(response)).not.toContain('secret');
    expect(JSON.stringify(lines)).toContain('postgres://secret@db');
  });

  describe('subgraph trust: only the gateway\'s internal tokens are accepted', () => {
    const alice: Identity = { userId: 'alice', role: 'CUSTOMER', email: 'alice@example.com' };
    const whoami = (headers: Record<string, string>) => postGraphQL(server.url, '{ whoami }', {}, headers);
    const refused = async (headers: Record<string, string>) => {
      const response = await whoami(headers);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data ?? null).toBeNull();
    };
    const internalClaims = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setIssuer(INTERNAL_TOKEN_ISSUER).setAudience(INTERNAL_TOKEN_AUDIENCE).setIssuedAt();

    it('reads the caller from a gateway token, and a guest token as no caller', async () => {
      const asAlice = bearer(await signInternalToken(gatewayKeys, alice));
      expect((await whoami(asAlice)).data).toEqual({ whoami: 'alice/CUSTOMER' });
      // Verified tokens are remembered: the second use answers the same.
      expect((await whoami(asAlice)).data).toEqual({ whoami: 'alice/CUSTOMER' });
      expect((await whoami(asGuest)).data).toEqual({ whoami: null });
    });

    it('refuses a request without a token, and a user\'s own access token', async () => {
      await refused({});
      const userKeys = await loadJwtKeys(
        { NODE_ENV: 'test', DATA_DIR: temp.dir, JWT_ISSUER: 'cloudmart', JWT_AUDIENCE: 'cloudmart-api' },
        { needPrivateKey: true },
      );
      await refused(bearer(await signAccessToken(userKeys, alice)));
    });

    it('refuses forged internal tokens: another key, alg none, expired, wrong audience or issuer', async () => {
      const other = await generateKeyPair('ES256');
      await refused(bearer(await signInternalToken({ publicKey: other.publicKey, privateKey: other.privateKey }, alice)));
      await refused(
        bearer(
          new UnsecuredJWT({ role: 'ADMIN' })
            .setSubject('mallory')
            .setIssuer(INTERNAL_TOKEN_ISSUER)
            .setAudience(INTERNAL_TOKEN_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('1m')
            .encode(),
        ),
      );
      const sign = (token: SignJWT) => token.setProtectedHeader({ alg: 'ES256' }).sign(gatewayKeys.privateKey!);
      const nowSeconds = Math.floor(Date.now() / 1000);
      await refused(
        bearer(await sign(internalClaims({ role: 'ADMIN' }).setSubject('mallory').setIssuedAt(nowSeconds - 600).setExpirationTime(nowSeconds - 480))),
      );
      await refused(
        bearer(await sign(new SignJWT({ role: 'ADMIN' }).setSubject('mallory').setIssuer(INTERNAL_TOKEN_ISSUER).setAudience('cloudmart-api').setIssuedAt().setExpirationTime('1m'))),
      );
      await refused(
        bearer(await sign(new SignJWT({ role: 'ADMIN' }).setSubject('mallory').setIssuer('cloudmart').setAudience(INTERNAL_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('1m'))),
      );
      // Long-lived tokens are refused even when signed by the gateway's key.
      await refused(bearer(await sign(internalClaims({ role: 'ADMIN' }).setSubject('mallory').setExpirationTime('1d'))));
      // A token with neither a caller nor the guest mark.
      await refused(bearer(await sign(internalClaims({}).setExpirationTime('1m'))));
    });
  });
});

describe('defineSubgraph: one start-up and one close stack for every service', () => {
  const temp = makeTempDir('define-subgraph');
  // The layout defineSubgraph relies on: schema.graphql in the folder above the server module's.
  const moduleDir = path.join(temp.dir, 'src');
  mkdirSync(moduleDir);
  writeFileSync(path.join(temp.dir, 'schema.graphql'), 'type Query { hello: String! }');
  const env = { NODE_ENV: 'test' as const, LOG_LEVEL: 'silent', DATA_DIR: temp.dir };
  let closed: string[] = [];
  const resource = (name: string) => ({
    close: async () => {
      closed.push(name);
    },
  });
  const declare = (open: (setup: SubgraphSetup<SubgraphConfig>) => Promise<SubgraphParts<BaseContext, object>>) =>
    defineSubgraph({
      name: 'declared',
      loadConfig: (environment) => ({ ...loadConfig(baseConfigSchema, environment), PORT: 0 }),
      dirname: moduleDir,
      resolvers: { Query: { hello: () => 'world' } },
      open,
    });
  beforeEach(() => {
    closed = [];
  });
  afterAll(() => temp.remove());

  it('serves the schema; stop closes last-opened first: work started after listening, the HTTP server, then what open registered', async () => {
    let url = '';
    const serving = () => fetch(url).then(
      () => true,
      () => false,
    );
    const start = declare(async ({ resources }) => {
      resources.add({ close: async () => void closed.push(`store (serving: ${await serving()})`) });
      resources.add(resource('bus'));
      resources.defer(() => closed.push('lag report'));
      return {
        context: (base) => base,
        readiness: async () => {},
        afterListen: () => {
          resources.add({ stop: async () => void closed.push(`worker (serving: ${await serving()})`) });
        },
      };
    });
    const server = await start(env);
    url = server.url;
    const keys = await loadInternalTokenKeys(env, { needPrivateKey: true });
    const asGuest = bearer(await signInternalToken(keys, null));
    expect((await postGraphQL(server.url, '{ hello }', {}, asGuest)).data).toEqual({ hello: 'world' });
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
    expect(closed).toEqual([]);
    await server.stop();
    expect(closed).toEqual(['worker (serving: true)', 'lag report', 'bus', 'store (serving: false)']);
  });

  it('closes what was opened when start-up fails half-way, and rethrows the failure', async () => {
    const start = declare(async ({ resources }) => {
      resources.add(resource('store'));
      resources.add(resource('bus'));
      throw new Error('the warehouse would not open');
    });
    await expect(start(env)).rejects.toThrow('the warehouse would not open');
    expect(closed).toEqual(['bus', 'store']);
  });

  it('stops the server and closes everything when the work started after listening fails', async () => {
    const start = declare(async ({ resources }) => {
      resources.add(resource('store'));
      return {
        context: (base) => base,
        afterListen: async () => {
          resources.add(resource('consumer'));
          throw new Error('the consumer group would not join');
        },
      };
    });
    await expect(start(env)).rejects.toThrow('the consumer group would not join');
    expect(closed).toEqual(['consumer', 'store']);
  });

  it('keeps closing past a close that fails, then throws that failure', async () => {
    const stack = new CloseStack();
    stack.add(resource('store'));
    stack.defer(() => Promise.reject(new Error('the bus would not close')));
    stack.add({ stop: async () => void closed.push('consumer') });
    await expect(stack.close()).rejects.toThrow('the bus would not close');
    expect(closed).toEqual(['consumer', 'store']);
    await stack.close(); // each close runs once
    expect(closed).toEqual(['consumer', 'store']);
  });
});
