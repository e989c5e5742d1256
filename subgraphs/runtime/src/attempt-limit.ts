import type { Logger } from './logger';
import { RedisScripts } from './redis-scripts';

/**
 * Limits on failed attempts at a secret (log-ins, for any service that checks one): a few free
 * failures per key, then a lock that doubles with each further failure, up to a ceiling. Unlike a
 * rate limit (rate-limit.ts) only failures count, so a key that keeps succeeding is never locked.
 *
 * An admitted attempt counts as a failure at once and is taken back (`withdraw`, `clear`) when it
 * turns out not to be one: a burst of concurrent guesses cannot all slip in before the first
 * failures are recorded.
 */
export interface AttemptLimits {
  /** Failures a key may have before its first lock. */
  freeFailures: number;
  /** The first lock, in seconds; each further failure doubles it. */
  lockSeconds: number;
  /** The longest lock, in seconds. */
  maxLockSeconds: number;
  /** A key's failures are forgotten this long after its last attempt (or when its lock ends, if later). */
  forgetAfterSeconds: number;
}

/** An attempt that may go ahead. Hand it to `withdraw` if it turns out not to be a failure. */
export interface AdmittedAttempt {
  admitted: true;
  /** The end of the lock this attempt started (ms since the epoch), 0 if none: what `withdraw` lifts. */
  lockedUntil: number;
}

export interface RefusedAttempt {
  admitted: false;
  /** Whole seconds until the key's lock ends. */
  retryAfter: number;
}

export type Admission = AdmittedAttempt | RefusedAttempt;

/** Where failed attempts are counted: this process, or Redis for every replica. */
export interface AttemptLimiter {
  /** Admits one attempt at `key`, counted as a failure from now on; refused while the key is locked. */
  admit(key: string): Promise<Admission>;
  /** The admitted attempt did not fail (the secret was right, or it never ran): its failure and any lock it started are taken back. */
  withdraw(key: string, attempt: AdmittedAttempt): Promise<void>;
  /** Forgets the key's failures and lock (its owner has just proved the secret). */
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The lock that the `failures`-th failure starts, in ms: 0 while failures are free. */
const lockMsAfter = (limits: AttemptLimits, failures: number) =>
  failures <= limits.freeFailures
    ? 0
    : Math.min(limits.maxLockSeconds, limits.lockSeconds * 2 ** (failures - limits.freeFailures - 1)) * 1000;

const refused = (lockedUntil: number, now: number): RefusedAttempt => ({
  admitted: false,
  retryAfter: Math.max(1, Math.ceil((lockedUntil - now) / 1000)),
});

interface KeyState {
  failures: number;
  lockedUntil: number;
  forgetAt: number;
}

/**
 * Failed attempts counted in this process: each replica on its own (an attacker spreading guesses
 * over N replicas gets N times the free failures). Used without REDIS_URL, and as
 * RedisFailedAttempts' fallback. At most `maxKeys` keys are kept, the least recently tried dropped
 * first, so guesses at ever new keys cannot grow the process without bound.
 */
export class FailedAttempts implements AttemptLimiter {
  /** In order of last attempt, oldest first (a key is re-inserted when tried). */
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly limits: AttemptLimits,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async admit(key: string): Promise<Admission> {
    const now = this.now();
    const known = this.keys.get(key);
    const state = known && known.forgetAt > now ? known : { failures: 0, lockedUntil: 0, forgetAt: 0 };
    if (state.lockedUntil > now) return refused(state.lockedUntil, now);
    state.failures += 1;
    const lockMs = lockMsAfter(this.limits, state.failures);
    if (lockMs > 0) state.lockedUntil = now + lockMs;
    state.forgetAt = Math.max(now + this.limits.forgetAfterSeconds * 1000, state.lockedUntil);
    this.keys.delete(key);
    this.keys.set(key, state);
    this.dropStale(now);
    return { admitted: true, lockedUntil: lockMs > 0 ? state.lockedUntil : 0 };
  }

  async withdraw(key: string, attempt: AdmittedAttempt): Promise<void> {
    const state = this.keys.get(key);
    if (!state) return;
    state.failures = Math.max(0, state.failures - 1);
    if (attempt.lockedUntil > 0 && state.lockedUntil === attempt.lockedUntil) state.lockedUntil = 0;
  }

  async clear(key: string): Promise<void> {
    this.keys.delete(key);
  }

  async close(): Promise<void> {}

  /** From the oldest: keys past their forgetting time, and any beyond `maxKeys`. */
  private dropStale(now: number) {
    for (const [key, state] of this.keys) {
      if (state.forgetAt > now && this.keys.size <= this.maxKeys) break;
      this.keys.delete(key);
    }
  }
}

/**
 * The same counts in Redis (REDIS_URL), so a lock holds on every replica. Each operation is one Lua
 * script on one hash per key ({failures, lockedUntil, forgetAt}), which Redis expires once the key
 * is forgotten. Times come from the replica's clock (`now`), not Redis's: locks last seconds to
 * minutes, far beyond the skew between synchronised clocks, and tests can then drive time.
 */
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'failures', 'lockedUntil', 'forgetAt')
local failures, lockedUntil = 0, 0
if (tonumber(state[3]) or 0) > now then
  failures = tonumber(state[1]) or 0
  lockedUntil = tonumber(state[2]) or 0
end
if lockedUntil > now then return {0, lockedUntil - now} end
failures = failures + 1
local started = 0
if failures > free then
  started = now + math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (failures - free - 1))
  lockedUntil = started
end
local forgetAt = math.max(now + tonumber(ARGV[5]), lockedUntil)
redis.call('HSET', KEYS[1], 'failures', failures, 'lockedUntil', lockedUntil, 'forgetAt', forgetAt)
redis.call('PEXPIRE', KEYS[1], forgetAt - now)
return {1, started}
`;

const WITHDRAW_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'failures', 'lockedUntil')
if not state[1] then return 0 end
redis.call('HSET', KEYS[1], 'failures', math.max(0, tonumber(state[1]) - 1))
local started = tonumber(ARGV[1])
if started > 0 and tonumber(state[2]) == started then redis.call('HSET', KEYS[1], 'lockedUntil', 0) end
return 1
`;

const CLEAR_SCRIPT = `return redis.call('DEL', KEYS[1])`;

type AttemptScript = 'cloudmartAdmitAttempt' | 'cloudmartWithdrawAttempt' | 'cloudmartClearAttempts';

export class RedisFailedAttempts implements AttemptLimiter {
  private readonly scripts: RedisScripts<AttemptScript>;
  private readonly fallback: FailedAttempts;

  constructor(
    url: string,
    private readonly limits: AttemptLimits,
    log: Logger,
    /** Keys of different limits must not meet: e.g. 'cloudmart:attempts:login-account:'. */
    private readonly prefix: string,
    /** What is limited, for the logs. */
    name: string,
    private readonly now: () => number = Date.now,
  ) {
    this.fallback = new FailedAttempts(limits, now);
    this.scripts = new RedisScripts(
      url,
      { cloudmartAdmitAttempt: ADMIT_SCRIPT, cloudmartWithdrawAttempt: WITHDRAW_SCRIPT, cloudmartClearAttempts: CLEAR_SCRIPT },
      log,
      name,
    );
  }

  admit(key: string): Promise<Admission> {
    const now = this.now();
    const { freeFailures, lockSeconds, maxLockSeconds, forgetAfterSeconds } = this.limits;
    return this.scripts.run(
      'cloudmartAdmitAttempt',
      this.prefix + key,
      [now, freeFailures, lockSeconds * 1000, maxLockSeconds * 1000, forgetAfterSeconds * 1000],
      (reply): Admission => {
        // {1, lock started or 0} or {0, ms until the lock ends}
        const [admitted = NaN, value = NaN] = Array.isArray(reply) ? (reply as unknown[]).map(Number) : [];
        if (Number.isNaN(admitted) || Number.isNaN(value)) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
        return admitted === 1 ? { admitted: true, lockedUntil: value } : refused(now + value, now);
      },
      () => this.fallback.admit(key),
    );
  }

  withdraw(key: string, attempt: AdmittedAttempt): Promise<void> {
    return this.scripts.run(
      'cloudmartWithdrawAttempt',
      this.prefix + key,
      [attempt.lockedUntil],
      () => undefined,
      () => this.fallback.withdraw(key, attempt),
    );
  }

  clear(key: string): Promise<void> {
    return this.scripts.run(
      'cloudmartClearAttempts',
      this.prefix + key,
      [],
      () => undefined,
      () => this.fallback.clear(key),
    );
  }

  close(): Promise<void> {
    return this.scripts.close();
  }
}

/** Failed-attempt limits named `name`: shared through Redis when `redisUrl` is set. */
export function createAttemptLimiter(options: {
  redisUrl?: string;
  limits: AttemptLimits;
  log: Logger;
  /** Distinguishes this limit's keys in Redis, e.g. 'login-account'. */
  name: string;
  now?: () => number;
}): AttemptLimiter {
  const { redisUrl, limits, log, name, now } = options;
  return redisUrl
    ? new RedisFailedAttempts(redisUrl, limits, log, `cloudmart:attempts:${name}:`, `${name} attempt limit`, now)
    : new FailedAttempts(limits, now);
}
