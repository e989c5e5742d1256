import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/**
 * The error codes clients can rely on. Apollo's own codes (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, …) pass through unchanged.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  PAYMENT_FAILED: 'PAYMENT_FAILED',
  /** The service is at capacity for this work (password hashing); `extensions.retryAfter` says when to try again (seconds). */
  SERVICE_OVERLOADED: 'SERVICE_OVERLOADED',
  /** Too many failed attempts (log-ins) for an account or a client; `extensions.retryAfter` says when the lock ends (seconds). */
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  /** A subgraph did not answer (refused, reset, timed out, 5xx): its fields are null, the rest arrives. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The caller used up its share of an expensive operation; `extensions.retryAfter` says when (seconds). */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * A store or service this one depends on could not be reached just now (connection refused or
   * reset, a timeout, throttling): nothing was decided, and the request may be retried.
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose messages were written for the client and are safe to show as they are. */
export const clientFacingCodes: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * An error the caller may retry: `extensions.retryAfter` in whole seconds (at least 1), which the
 * gateway answers as a Retry-After header (gateway/src/error-status.ts).
 */
export const retryLater = (code: ErrorCode, message: string, retryAfterSeconds: number) =>
  appError(code, message, { retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)) });

export const badUserInput = (message: string, extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.BAD_USER_INPUT, message, extensions);

export const unauthenticated = (message = 'You must be signed in.') =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

export const forbidden = (message = 'You are not allowed to do this.') => appError(ErrorCode.FORBIDDEN, message);

export const notFound = (what: string, id: string) =>
  appError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} was not found.`, { id });

/** Socket errors meaning the other end could not be reached or went away mid-call. */
const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|UND_ERR_)/;
/** Prisma's "cannot reach / lost / timed out waiting for the database" codes. */
const DATABASE_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/**
 * Whether an error means a store or service could not be reached (the AWS SDK's and fetch's
 * socket errors, timeouts, throttling and 5xx that the SDK calls retryable, a database connection
 * lost), rather than a bug or a refusal. Read by shape, not by class (errors may come from another
 * realm or be wrapped: `cause` is followed a few levels).
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { name, message, code, cause, originalError, $retryable, $metadata } = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    /** A GraphQLError's wrapped error. */
    originalError?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (typeof code === 'string' && (CONNECTION_CODES.test(code) || DATABASE_UNREACHABLE.has(code))) return true;
  // The AWS SDK re-wraps an error it does not recognise as one (Node's, from another realm) as
  // "AWS SDK error wrapper for Error: connect ECONNREFUSED …", keeping only the text and $metadata.
  if ($metadata !== undefined && typeof message === 'string' && /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/.test(message)) return true;
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'PrismaClientInitializationError') return true;
  if (name === 'TypeError' && message === 'fetch failed') return isConnectionFailure(cause, depth + 1) || cause === undefined;
  // The AWS SDK marks throttling and transient server errors retryable; a 5xx from the store too.
  if ($retryable !== undefined && $retryable !== null) return true;
  if (typeof $metadata?.httpStatusCode === 'number' && $metadata.httpStatusCode >= 500) return true;
  return isConnectionFailure(cause, depth + 1) || isConnectionFailure(originalError, depth + 1);
}

/**
 * Apollo Server `formatError`: errors raised on purpose (a known code) go to the client as they
 * are; a store that could not be reached becomes SERVICE_UNAVAILABLE (retryable, nothing decided);
 * anything else is logged and replaced by a generic message, so no internal detail or stack trace
 * leaves the server.
 */
export function maskUnexpectedErrors(log: { error: (obj: object, msg: string) => void; warn?: (obj: object, msg: string) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && clientFacingCodes.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const cause = unwrapResolverError(error);
    if (isConnectionFailure(cause) || isConnectionFailure(error)) {
      (log.warn ?? log.error).call(log, { err: cause }, 'a store or service could not be reached');
      return {
        message: 'A service this request needs could not be reached just now; nothing was changed by this part of it. Retry shortly.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true },
      };
    }
    log.error({ err: unwrapResolverError(error) }, 'unexpected error in GraphQL request');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
