import { SignJWT, errors as joseErrors, importPKCS8, importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { ALGORITHM, bearerTokenOf, developmentKeyPems, roles, type Identity, type Role } from './auth';
import type { BaseConfig } from './config';
import { unauthenticated } from './errors';

/**
 * Subgraph trust. Clients never talk to subgraphs: the gateway verifies the caller's access token,
 * then calls each subgraph with an internal token it signs itself — short-lived, for the audience
 * `cloudmart-subgraphs`, carrying the caller's claims (or marking a guest). Subgraphs accept
 * nothing else, so a client that reaches a subgraph's address directly, with its own access token
 * or a forged `_entities` request, gets UNAUTHENTICATED; and the gateway's limits, demand control
 * and authorization directives cannot be bypassed. A subgraph calling another on a caller's behalf
 * (orders → payments, support → orders) forwards the token it received, within its lifetime.
 */
export const INTERNAL_TOKEN_ISSUER = 'cloudmart-gateway';
export const INTERNAL_TOKEN_AUDIENCE = 'cloudmart-subgraphs';
/** Long enough for one request's chain of internal calls, short enough that a leaked one soon dies. */
export const INTERNAL_TOKEN_TTL_SECONDS = 120;
/** The gateway reuses a caller's token this long (signing per request would cost a signature each). */
const REUSE_SECONDS = 60;

export interface InternalTokenKeys {
  publicKey: CryptoKey;
  /** Only the gateway holds it. */
  privateKey?: CryptoKey;
}

type InternalTokenConfig = Pick<BaseConfig, 'NODE_ENV' | 'DATA_DIR'> & {
  GATEWAY_TOKEN_PUBLIC_KEY?: string;
  GATEWAY_TOKEN_PRIVATE_KEY?: string;
};

/**
 * The internal-token keys: GATEWAY_TOKEN_PUBLIC_KEY (every subgraph) and GATEWAY_TOKEN_PRIVATE_KEY
 * (the gateway). Outside production a development pair is generated under DATA_DIR/keys, apart from
 * the access-token pair, so that holding one never lets you mint the other.
 */
export async function loadInternalTokenKeys(
  config: InternalTokenConfig,
  { needPrivateKey = false } = {},
): Promise<InternalTokenKeys> {
  let publicPem = config.GATEWAY_TOKEN_PUBLIC_KEY;
  let privatePem = config.GATEWAY_TOKEN_PRIVATE_KEY;
  if (!publicPem || (needPrivateKey && !privatePem)) {
    if (config.NODE_ENV === 'production') {
      throw new Error(
        `GATEWAY_TOKEN_PUBLIC_KEY${needPrivateKey ? ' and GATEWAY_TOKEN_PRIVATE_KEY' : ''} must be set in production`,
      );
    }
    ({ publicPem, privatePem } = await developmentKeyPems(config.DATA_DIR, 'gateway-es256.json'));
  }
  return {
    publicKey: await importSPKI(publicPem, ALGORITHM),
    privateKey: needPrivateKey && privatePem ? await importPKCS8(privatePem, ALGORITHM) : undefined,
  };
}

/** Signs one internal token for a caller (null: a guest). */
export async function signInternalToken(
  keys: InternalTokenKeys,
  identity: Identity | null,
  ttlSeconds = INTERNAL_TOKEN_TTL_SECONDS,
): Promise<string> {
  if (!keys.privateKey) throw new Error('This process holds no gateway private key and cannot sign internal tokens');
  const claims = identity ? { role: identity.role, email: identity.email } : { guest: true };
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(INTERNAL_TOKEN_ISSUER)
    .setAudience(INTERNAL_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (identity) token.setSubject(identity.userId);
  return token.sign(keys.privateKey);
}

/**
 * The gateway's side: one internal token per caller, reused for REUSE_SECONDS and then replaced,
 * so a subgraph always receives a token with at least a minute left. Concurrent requests of one
 * caller share a signature in flight. Bounded: the oldest callers are forgotten first.
 */
export class InternalTokenSigner {
  private readonly tokens = new Map<string, { token: Promise<string>; renewAt: number }>();

  constructor(
    private readonly keys: InternalTokenKeys,
    private readonly maxCallers = 10_000,
  ) {}

  /** `Bearer <token>` for the caller. */
  authorizationFor(identity: Identity | null): Promise<string> {
    const key = identity ? `${identity.userId}\u0000${identity.role}\u0000${identity.email ?? ''}` : '';
    const now = Date.now();
    const cached = this.tokens.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    if (cached) this.tokens.delete(key);
    if (this.tokens.size >= this.maxCallers) this.tokens.delete(this.tokens.keys().next().value!);
    const token = signInternalToken(this.keys, identity).then((signed) => `Bearer ${signed}`);
    this.tokens.set(key, { token, renewAt: now + REUSE_SECONDS * 1000 });
    token.catch(() => this.tokens.delete(key));
    return token;
  }
}

async function verifyInternalToken(keys: InternalTokenKeys, token: string): Promise<{ identity: Identity | null; expiresAt: number }> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALGORITHM],
      issuer: INTERNAL_TOKEN_ISSUER,
      audience: INTERNAL_TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: INTERNAL_TOKEN_TTL_SECONDS + 5,
    });
    const expiresAt = (payload.exp ?? 0) * 1000;
    // Short-lived by construction: a token meant to outlive the gateway's TTL was not minted by it.
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > INTERNAL_TOKEN_TTL_SECONDS) {
      throw unauthenticated('This service only accepts requests from the CloudMart gateway.');
    }
    if (payload.guest === true && payload.sub === undefined) return { identity: null, expiresAt };
    if (typeof payload.sub !== 'string' || !roles.includes(payload.role as Role)) {
      throw unauthenticated('The internal token is missing its subject or role.');
    }
    return {
      identity: {
        userId: payload.sub,
        role: payload.role as Role,
        email: typeof payload.email === 'string' ? payload.email : undefined,
      },
      expiresAt,
    };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) {
      throw unauthenticated('This service only accepts requests from the CloudMart gateway.');
    }
    throw error;
  }
}

/**
 * The subgraphs' side: the caller behind an internal token (null for a guest), or UNAUTHENTICATED
 * when the request did not come from the gateway. Verified tokens are remembered until they
 * expire, since the gateway sends one caller's token many times.
 */
export class InternalTokenVerifier {
  private readonly verified = new Map<string, { identity: Identity | null; expiresAt: number }>();

  constructor(
    private readonly keys: InternalTokenKeys,
    private readonly maxTokens = 10_000,
  ) {}

  async identityOf(authorization: string | undefined): Promise<Identity | null> {
    const token = bearerTokenOf(authorization);
    if (!token) throw unauthenticated('This service only accepts requests from the CloudMart gateway.');
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.identity;
    if (cached) this.verified.delete(token);
    const result = await verifyInternalToken(this.keys, token);
    if (this.verified.size >= this.maxTokens) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, result);
    return result.identity;
  }
}
