import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import {
  createAttemptLimiter,
  ErrorCode,
  retryLater,
  type AttemptLimiter,
  type Logger,
} from '@cloudmart/runtime';
import type { UsersConfig } from '../config';

/** A log-in that may go ahead; say how it ended. A failure needs nothing: it is already counted. */
export interface LoginAttempt {
  /** The password was right: the account's failures are forgotten, the client's attempt taken back. */
  succeeded(): Promise<void>;
  /** The attempt never checked a password (the hash pool refused it): it counts for nothing. */
  withdraw(): Promise<void>;
}

/**
 * The account's key: a digest of the normalised email, so that the counts (in Redis too) hold no
 * address. Registered or not, every email is counted alike (no account enumeration).
 */
const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url');

/**
 * The client's key: its IPv4 address, or the /64 of an IPv6 one — a single host is usually given a
 * whole /64, so counting per IPv6 address would let it change address at every guess.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split('%')[0]!; // without a zone index (fe80::1%eth0)
  if (!isIPv6(bare)) return address;
  // The eight 16-bit groups with '::' expanded (an embedded IPv4 tail counts as two).
  const groupsOf = (part: string) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const [head = [], tail] = bare.split('::').map(groupsOf);
  const groups = tail ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/**
 * Limits on failed log-ins, per account and per client address (docs/security.md#failed-log-ins):
 * a few free failures, then a lock that doubles with each further failure. While either is
 * locked the log-in is refused with TOO_MANY_ATTEMPTS, even with the right password — else a
 * lock would only slow a guesser down until the right guess.
 */
export class LoginLimits {
  constructor(
    private readonly perAccount: AttemptLimiter,
    private readonly perClient: AttemptLimiter,
  ) {}

  /** Admits a log-in for `email` from `clientAddress` (when the gateway gave one), or throws TOO_MANY_ATTEMPTS. */
  async admit(email: string, clientAddress: string | undefined): Promise<LoginAttempt> {
    // A correct password proves the account's owner, so the account's count is forgotten; the
    // client's is not (a guesser with an account of its own would reset it at will).
    const limits = [{ limiter: this.perAccount, key: accountKey(email), forgetOnSuccess: true }];
    if (clientAddress) limits.push({ limiter: this.perClient, key: clientKey(clientAddress), forgetOnSuccess: false });
    const admissions = await Promise.all(limits.map(({ limiter, key }) => limiter.admit(key)));
    const admitted = limits.flatMap((limit, i) => {
      const admission = admissions[i]!;
      return admission.admitted ? [{ ...limit, attempt: admission }] : [];
    });
    const withdraw = async () => {
      await Promise.all(admitted.map(({ limiter, key, attempt }) => limiter.withdraw(key, attempt)));
    };

    const retryAfter = Math.max(0, ...admissions.map((admission) => (admission.admitted ? 0 : admission.retryAfter)));
    if (retryAfter > 0) {
      await withdraw(); // refused by one limit: no attempt for the other either
      throw retryLater(ErrorCode.TOO_MANY_ATTEMPTS, 'Too many failed log-ins. Try again later.', retryAfter);
    }
    return {
      succeeded: async () => {
        await Promise.all(
          admitted.map(({ limiter, key, attempt, forgetOnSuccess }) =>
            forgetOnSuccess ? limiter.clear(key) : limiter.withdraw(key, attempt),
          ),
        );
      },
      withdraw,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.perAccount.close(), this.perClient.close()]);
  }
}

/** The limits the LOGIN_* settings describe, kept in Redis when REDIS_URL is set. */
export function createLoginLimits(config: UsersConfig, log: Logger, now?: () => number): LoginLimits {
  const shared = {
    lockSeconds: config.LOGIN_LOCK_SECONDS,
    maxLockSeconds: config.LOGIN_MAX_LOCK_SECONDS,
    forgetAfterSeconds: config.LOGIN_FAILURE_MEMORY_SECONDS,
  };
  const limiter = (name: string, freeFailures: number) =>
    createAttemptLimiter({ redisUrl: config.REDIS_URL, limits: { ...shared, freeFailures }, log, name, now });
  return new LoginLimits(
    limiter('login-account', config.LOGIN_FREE_FAILURES_PER_ACCOUNT),
    limiter('login-client', config.LOGIN_FREE_FAILURES_PER_CLIENT),
  );
}
