import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  jwtVerify,
  SignJWT,
  errors as joseErrors,
  type CryptoKey,
} from 'jose';
import type { BaseConfig } from './config';
import { unauthenticated } from './errors';

export const roles = ['CUSTOMER', 'ADMIN'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, as established from a verified token. */
export interface Identity {
  userId: string;
  role: Role;
  email?: string;
}

export const ALGORITHM = 'ES256';
const TOKEN_TTL = '12h';

export interface JwtKeys {
  publicKey: CryptoKey;
  /** Present only where tokens are issued (the users subgraph). */
  privateKey?: CryptoKey;
  issuer: string;
  audience: string;
}

export interface KeyPems {
  publicPem: string;
  privatePem: string;
}

/**
 * Development keys are generated once and kept under DATA_DIR/keys so that tokens outlive a
 * restart. Several processes may start at once: the pair is written to a temporary file and
 * renamed into place, and a process that loses the race reads the winner's keys.
 */
export async function developmentKeyPems(dataDir: string, fileName = 'jwt-es256.json'): Promise<KeyPems> {
  const file = path.join(dataDir, 'keys', fileName);
  if (!existsSync(file)) {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const pems: KeyPems = { publicPem: await exportSPKI(publicKey), privatePem: await exportPKCS8(privateKey) };
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(pems), { mode: 0o600 });
    if (!existsSync(file)) renameSync(temporary, file);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as KeyPems;
}

/**
 * Loads the token keys from configuration. Outside production, missing keys fall back to
 * generated development keys; in production they must be configured.
 */
export async function loadJwtKeys(
  config: Pick<
    BaseConfig,
    'NODE_ENV' | 'DATA_DIR' | 'JWT_PUBLIC_KEY' | 'JWT_PRIVATE_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
  >,
  { needPrivateKey = false } = {},
): Promise<JwtKeys> {
  let publicPem = config.JWT_PUBLIC_KEY;
  let privatePem = config.JWT_PRIVATE_KEY;
  if (!publicPem || (needPrivateKey && !privatePem)) {
    if (config.NODE_ENV === 'production') {
      throw new Error(`JWT_PUBLIC_KEY${needPrivateKey ? ' and JWT_PRIVATE_KEY' : ''} must be set in production`);
    }
    ({ publicPem, privatePem } = await developmentKeyPems(config.DATA_DIR));
  }
  return {
    publicKey: await importSPKI(publicPem, ALGORITHM),
    privateKey: needPrivateKey && privatePem ? await importPKCS8(privatePem, ALGORITHM) : undefined,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  };
}

export async function signAccessToken(keys: JwtKeys, identity: Identity): Promise<string> {
  if (!keys.privateKey) throw new Error('This process holds no private key and cannot issue tokens');
  return new SignJWT({ role: identity.role, email: identity.email })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(identity.userId)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt()
    .setExpirationTime(TOKEN_TTL)
    .sign(keys.privateKey);
}

/** Verifies a token's signature, algorithm, issuer, audience and expiry, and reads the identity. */
export async function verifyAccessToken(keys: JwtKeys, token: string): Promise<Identity> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALGORITHM],
      issuer: keys.issuer,
      audience: keys.audience,
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || !roles.includes(role as Role)) {
      throw unauthenticated('The access token is missing its subject or role.');
    }
    return {
      userId: payload.sub,
      role: role as Role,
      email: typeof payload.email === 'string' ? payload.email : undefined,
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The access token has expired.');
    if (error instanceof joseErrors.JOSEError) throw unauthenticated('The access token is not valid.');
    throw error;
  }
}

/**
 * The identity behind an `Authorization` header: null without one, an UNAUTHENTICATED error for
 * a header that is present but not a valid bearer token (a client sending a bad token should
 * hear about it rather than be served silently as a guest).
 */
export async function identityFromAuthorization(
  keys: JwtKeys,
  header: string | undefined,
): Promise<Identity | null> {
  if (!header) return null;
  const token = bearerTokenOf(header);
  if (!token) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  return verifyAccessToken(keys, token);
}

/** The token of a `Bearer <token>` Authorization header, or undefined for any other value. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
}

export function requireIdentity(identity: Identity | null): Identity {
  if (!identity) throw unauthenticated();
  return identity;
}
