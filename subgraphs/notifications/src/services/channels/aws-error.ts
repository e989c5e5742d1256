// What the AWS adapters (ses.ts, sns.ts) share: how a failed SDK call becomes a ChannelError, and
// the static key pair type their options take.
import type { SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { ChannelError } from './port';

/** A static key pair (the SDK's AwsCredentialIdentity), as opposed to a provider function. */
export type AwsCredentialIdentity = Exclude<
  NonNullable<SESv2ClientConfig['credentials']>,
  (...args: never[]) => unknown
>;

/**
 * A failed AWS SDK call as a ChannelError, by the exception's name: the service's known permanent
 * and retryable errors first; otherwise by HTTP status (5xx and 429 retryable, other 4xx — bad
 * input, a wrong key or signature, no permission — permanent); no status at all is a connection
 * the SDK could not make or keep, retryable.
 */
export function awsChannelError(
  service: string,
  error: unknown,
  known: { permanent: ReadonlySet<string>; retryable: ReadonlySet<string> },
): ChannelError {
  if (error instanceof ChannelError) return error;
  // Not `instanceof Error`: socket errors come from Node's own realm, which a test runner's
  // sandbox (jest's vm contexts) does not share.
  const failure =
    typeof error === 'object' && error !== null && 'message' in error
      ? (error as Error)
      : new Error(String(error));
  const status = (failure as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const nodeCode = (failure as { code?: unknown }).code;
  // A service exception's name is the error code; a connection error keeps Node's code.
  const code = status === undefined && typeof nodeCode === 'string' ? nodeCode : failure.name;
  const retryable = known.permanent.has(code)
    ? false
    : known.retryable.has(code)
      ? true
      : status === undefined
        ? true
        : status >= 500 || status === 429;
  return new ChannelError(`${service} ${code}: ${failure.message}`, retryable, code, { cause: error });
}
