import { SignJWT, generateKeyPair, exportSPKI, exportPKCS8, UnsecuredJWT } from 'jose';
import { identityFromAuthorization, loadJwtKeys, signAccessToken, verifyAccessToken, type JwtKeys } from '../src/auth';
import { InternalTokenSigner, InternalTokenVerifier, loadInternalTokenKeys } from '../src/internal-token';
import { makeTempDir } from '@cloudmart/test-kit';

const baseConfig = { NODE_ENV: 'test' as const, JWT_ISSUER: 'cloudmart', JWT_AUDIENCE: 'cloudmart-api' };

describe('access tokens', () => {
  const temp = makeTempDir('auth');
  let keys: JwtKeys;
  beforeAll(async () => {
    keys = await loadJwtKeys({ ...baseConfig, DATA_DIR: temp.dir }, { needPrivateKey: true });
  });
  afterAll(() => temp.remove());

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: { extensions?: { code?: string } }) => error.extensions?.code,
    );

  it('round-trips an identity', async () => {
    const token = await signAccessToken(keys, { userId: 'u1', role: 'ADMIN', email: 'a@b.c' });
    await expect(verifyAccessToken(keys, token)).resolves.toEqual({ userId: 'u1', role: 'ADMIN', email: 'a@b.c' });
  });

  it('keeps development keys across restarts, and a process without the private key can verify', async () => {
    const token = await signAccessToken(keys, { userId: 'u1', role: 'CUSTOMER' });
    const again = await loadJwtKeys({ ...baseConfig, DATA_DIR: temp.dir });
    expect(again.privateKey).toBeUndefined();
    await expect(verifyAccessToken(again, token)).resolves.toMatchObject({ userId: 'u1' });
  });

  it('refuses tokens signed with another key, unsigned, expired, or for another audience', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u1')
      .setIssuer('cloudmart')
      .setAudience('cloudmart-api')
      .setExpirationTime('1h')
      .sign(other.privateKey);
    const unsigned = new UnsecuredJWT({ role: 'ADMIN' }).setSubject('u1').setIssuer('cloudmart').setAudience('cloudmart-api').encode();
    const expired = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u1')
      .setIssuer('cloudmart')
      .setAudience('cloudmart-api')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(keys.privateKey!);
    const wrongAudience = await new SignJWT({ role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u1')
      .setIssuer('cloudmart')
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(keys.privateKey!);
    for (const token of [forged, unsigned, expired, wrongAudience, 'not-a-jwt']) {
      expect(await codeOf(verifyAccessToken(keys, token))).toBe('UNAUTHENTICATED');
    }
  });

  it('reads the Authorization header: none is a guest, a malformed one is refused', async () => {
    await expect(identityFromAuthorization(keys, undefined)).resolves.toBeNull();
    expect(await codeOf(identityFromAuthorization(keys, 'Basic dXNlcjpwYXNz'))).toBe('UNAUTHENTICATED');
    const token = await signAccessToken(keys, { userId: 'u2', role: 'CUSTOMER' });
    await expect(identityFromAuthorization(keys, `Bearer ${token}`)).resolves.toMatchObject({ userId: 'u2' });
  });

  it('uses configured PEM keys instead of development keys', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const configured = await loadJwtKeys(
      {
        ...baseConfig,
        NODE_ENV: 'production',
        DATA_DIR: '/nonexistent',
        JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
        JWT_PRIVATE_KEY: await exportPKCS8(pair.privateKey),
      },
      { needPrivateKey: true },
    );
    const token = await signAccessToken(configured, { userId: 'u3', role: 'CUSTOMER' });
    await expect(verifyAccessToken(configured, token)).resolves.toMatchObject({ userId: 'u3' });
    await expect(loadJwtKeys({ ...baseConfig, NODE_ENV: 'production', DATA_DIR: '/nonexistent' })).rejects.toThrow(
      /JWT_PUBLIC_KEY/,
    );
  });
});

describe('internal tokens (subgraph trust)', () => {
  const temp = makeTempDir('internal-token');
  afterAll(() => temp.remove());

  it('keeps the development gateway pair apart from the access-token pair, and requires keys in production', async () => {
    const gateway = await loadInternalTokenKeys({ NODE_ENV: 'test', DATA_DIR: temp.dir }, { needPrivateKey: true });
    const access = await loadJwtKeys({ ...baseConfig, DATA_DIR: temp.dir }, { needPrivateKey: true });
    const signer = new InternalTokenSigner(gateway);
    const authorization = await signer.authorizationFor({ userId: 'u1', role: 'ADMIN' });
    // A verifier holding only the public key reads the caller back; the access-token key does not verify it.
    await expect(new InternalTokenVerifier({ publicKey: gateway.publicKey }).identityOf(authorization)).resolves.toEqual({
      userId: 'u1',
      role: 'ADMIN',
      email: undefined,
    });
    await expect(new InternalTokenVerifier({ publicKey: access.publicKey }).identityOf(authorization)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // One token per caller, reused; another caller gets another.
    expect(await signer.authorizationFor({ userId: 'u1', role: 'ADMIN' })).toBe(authorization);
    expect(await signer.authorizationFor({ userId: 'u2', role: 'ADMIN' })).not.toBe(authorization);
    await expect(loadInternalTokenKeys({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' })).rejects.toThrow(
      /GATEWAY_TOKEN_PUBLIC_KEY/,
    );
    const pair = await generateKeyPair('ES256', { extractable: true });
    await expect(
      loadInternalTokenKeys(
        { NODE_ENV: 'production', DATA_DIR: '/nonexistent', GATEWAY_TOKEN_PUBLIC_KEY: await exportSPKI(pair.publicKey) },
        { needPrivateKey: true },
      ),
    ).rejects.toThrow(/GATEWAY_TOKEN_PRIVATE_KEY/);
  });
});
