// AWS Signature Version 4, checked the way AWS checks it: the local fakes of AWS services
// (Bedrock, SES, SNS) recompute each request's signature with node:crypto and compare it with the
// Authorization header's, so a contract test fails when the real SDK signs with the wrong key,
// region or service. One implementation for every fake; it covers the bodies the SDKs send:
// JSON (REST-JSON, JSON-RPC) and form-encoded (the Query protocol), both signed as the SHA-256 of
// the raw body bytes, and query-string parameters signed in the canonical query.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export interface SigV4Check {
  /** Whether the signature matched (and, when asked, the scope named the expected service). */
  valid: boolean;
  /** Why it did not, for a test's failure message. */
  reason?: string;
  accessKeyId?: string;
  /** The credential scope's region and service (`us-east-1`, `ses`). */
  region?: string;
  service?: string;
}

export interface SigV4Expectation {
  secretAccessKey: string;
  /** The service name the credential scope must carry (`ses`, `sns`, `bedrock`). */
  service?: string;
}

/** What a fake records about each request's signing, beside the request itself. */
export interface SignedRequestRecord {
  /** Whether the SigV4 signature matched the fake's secret (and service, when one is expected). */
  signatureValid: boolean;
  /** Why it did not. */
  signatureProblem?: string;
  accessKeyId?: string;
  region?: string;
  service?: string;
  /** The SDK's attempt header (`attempt=2; max=3`). */
  attempt?: string;
}

/** AWS's message when a signature does not match (403 SignatureDoesNotMatch). */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

/** verifySigV4's verdict on a request, as a fake records it. */
export function signedRequestRecord(req: http.IncomingMessage, body: Buffer, expected: SigV4Expectation): SignedRequestRecord {
  const signature = verifySigV4(req, body, expected);
  return {
    signatureValid: signature.valid,
    signatureProblem: signature.reason,
    accessKeyId: signature.accessKeyId,
    region: signature.region,
    service: signature.service,
    attempt: req.headers['amz-sdk-request'] as string | undefined,
  };
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 escaping, as SigV4 asks. */
const escape = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Recomputes the request's signature (the canonical request, string to sign and signing key of the
 * SigV4 specification) from its method, path, query, signed headers and `body` (the raw bytes
 * received), and compares it with the one in the Authorization header.
 */
export function verifySigV4(req: http.IncomingMessage, body: Buffer, expected: SigV4Expectation): SigV4Check {
  const parsed = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!parsed) return { valid: false, reason: 'no AWS4-HMAC-SHA256 Authorization header' };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = parsed as unknown as string[];
  const scope = { accessKeyId, region, service };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date!))
    return { valid: false, reason: 'x-amz-date does not match the credential scope date', ...scope };
  if (expected.service !== undefined && service !== expected.service)
    return { valid: false, reason: `scope names service ${service}, not ${expected.service}`, ...scope };

  const url = new URL(req.url ?? '/', 'http://fake');
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  // Non-S3 services sign the path URI-encoded once more (each "%" of the sent path becomes "%25").
  const canonicalPath = escape(url.pathname).replace(/%2F/g, '/');
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => [escape(k), escape(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
  const canonicalRequest = [
    req.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const credentialScope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${expected.secretAccessKey}`, date!), region!), service!),
    'aws4_request',
  );
  const computed = createHmac('sha256', key).update(stringToSign).digest();
  const valid = timingSafeEqual(computed, Buffer.from(signature!, 'hex'));
  return valid ? { valid, ...scope } : { valid, reason: 'signature does not match', ...scope };
}
