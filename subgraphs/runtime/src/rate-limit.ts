import type { Logger } from './logger';
import { RedisScripts } from './redis-scripts';

/**
 * Rate limits for every service (partners at the gateway, and any per-user or per-client limit):
 * a token bucket per key, in this process or in Redis for every replica.
 *
 * TokenBuckets: `burst` requests at once, refilled at `perSecond`. In memory, so each replica
 * limits on its own (the effective limit is replicas × rate): used without REDIS_URL, and as
 * RedisTokenBuckets' fallback.
 */
export class TokenBuckets implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token: null when allowed, else the seconds to wait before the next one. */
  take(key: string): number | null {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

/** Where rate limits are kept: this process, or Redis for every replica. */
export interface RateLimiter {
  /** Takes one token: null when allowed, else the seconds to wait before the next one. */
  take(key: string): Promise<number | null> | number | null;
  close?(): Promise<void>;
}

/**
 * The same token bucket, kept in Redis so that every replica draws from one bucket per key
 * (REDIS_URL): the configured rate is the key's rate, however many replicas run. One
 * Lua script reads, refills and takes atomically, on Redis's clock (replicas' clocks may differ).
 * If Redis cannot answer, the replica falls back to its own in-memory buckets rather than refusing
 * every caller or letting every request through.
 */
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local wait = -1
if tokens >= 1 then tokens = tokens - 1 else wait = math.max(1, math.ceil((1 - tokens) / rate)) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait
`;

export class RedisTokenBuckets implements RateLimiter {
  private readonly scripts: RedisScripts<'cloudmartTakeToken'>;
  private readonly fallback: TokenBuckets;

  constructor(
    url: string,
    private readonly burst: number,
    private readonly perSecond: number,
    log: Logger,
    /** Keys of different limits must not meet: e.g. 'cloudmart:rate:partner:'. */
    private readonly prefix = 'cloudmart:rate:',
    /** What is limited, for the logs. */
    name = 'rate limit',
  ) {
    this.fallback = new TokenBuckets(burst, perSecond);
    this.scripts = new RedisScripts(url, { cloudmartTakeToken: TAKE_SCRIPT }, log, name);
  }

  take(key: string): Promise<number | null> {
    return this.scripts.run(
      'cloudmartTakeToken',
      this.prefix + key,
      [this.burst, this.perSecond],
      (wait) => (Number(wait) < 0 ? null : Number(wait)),
      () => this.fallback.take(key),
    );
  }

  close(): Promise<void> {
    return this.scripts.close();
  }
}

/** A limit of `burst` at once and `perSecond` after: shared through Redis when `redisUrl` is set. */
export function createRateLimiter(options: {
  redisUrl?: string;
  burst: number;
  perSecond: number;
  log: Logger;
  /** Distinguishes this limit's keys in Redis, e.g. 'partner'. */
  name: string;
}): RateLimiter {
  const { redisUrl, burst, perSecond, log, name } = options;
  return redisUrl
    ? new RedisTokenBuckets(redisUrl, burst, perSecond, log, `cloudmart:rate:${name}:`, `${name} rate limit`)
    : new TokenBuckets(burst, perSecond);
}
