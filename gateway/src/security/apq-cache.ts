import { Redis } from 'ioredis';
import type { Logger } from '@cloudmart/runtime';

/**
 * Apollo Server's cache interface over Redis, for automatic persisted queries shared by every
 * gateway replica (REDIS_URL). Keys are namespaced; a TTL from Apollo Server becomes EX.
 * A Redis outage fails open for reads (the client resends the full query), as APQ allows.
 */
export class RedisKeyValueCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly prefix = 'cloudmart:apq:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', (error: unknown) => log.warn({ err: error }, 'redis (APQ cache) error'));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.log.warn({ err: error }, 'APQ cache read failed');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.ceil(options.ttl));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
