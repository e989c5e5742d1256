import { Redis } from 'ioredis';
import type { Logger } from '@cloudmart/runtime';
import type { EntityCacheStore, StoredEntry, StoreWrite } from './store';

/** Deletes every member of each tag set, then the set: atomic, so no entry escapes a concurrent add. */
const INVALIDATE_SCRIPT = `
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for i = 1, #members, 500 do
    redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
  end
  redis.call('DEL', tag)
end
return 0`;

/**
 * The store every gateway replica shares (REDIS_URL): entries are JSON strings with a PX expiry;
 * each tag is a set of the keys carrying it, kept as long as the longest possible entry. Reads
 * and writes fail open (a miss; the subgraph answers), invalidations reject so the event is
 * retried.
 */
export class RedisEntityCacheStore implements EntityCacheStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly maxTtlMs: number,
    private readonly prefix = 'cloudmart:entity-cache:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', (error: unknown) => log.warn({ err: error }, 'redis (entity cache) error'));
  }

  async get(keys: readonly string[]): Promise<(StoredEntry | undefined)[]> {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mget(keys.map((key) => this.prefix + key));
      const now = Date.now();
      return values.map((value) => {
        if (value === null) return undefined;
        const entry = JSON.parse(value) as StoredEntry;
        return entry.expiresAt > now ? entry : undefined;
      });
    } catch (error) {
      this.log.warn({ err: error }, 'entity cache read failed');
      return keys.map(() => undefined);
    }
  }

  async set(writes: readonly StoreWrite[]): Promise<void> {
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    for (const { key, entry, tags } of writes) {
      const ttlMs = entry.expiresAt - now;
      if (ttlMs <= 0) continue;
      pipeline.set(this.prefix + key, JSON.stringify(entry), 'PX', ttlMs);
      for (const tag of tags) {
        pipeline.sadd(this.tagKey(tag), this.prefix + key);
        pipeline.pexpire(this.tagKey(tag), this.maxTtlMs);
      }
    }
    try {
      await pipeline.exec();
    } catch (error) {
      this.log.warn({ err: error }, 'entity cache write failed');
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.redis.eval(INVALIDATE_SCRIPT, tags.length, ...tags.map((tag) => this.tagKey(tag)));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private tagKey(tag: string) {
    return `${this.prefix}tag:${tag}`;
  }
}
