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

/**
 * Apollo Server `formatError`: errors raised on purpose (a known code) go to the client as they
 * are; anything else is logged and replaced by a generic message, so no internal detail or stack
 * trace leaves the server.
 */
export function maskUnexpectedErrors(log: { error: (obj: object, msg: string) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && clientFacingCodes.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
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
