import type { Logger } from '@cloudmart/runtime';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import type { GatewayConfig } from '../config';
import { EntityCache } from './entity-cache';
import { MemoryEntityCacheStore } from './memory-store';
import { RedisEntityCacheStore } from './redis-store';

export { EntityCache, type SubgraphFetch } from './entity-cache';
export { followInvalidations, orderEventTags, productEventTags } from './invalidation';

/** The entity cache ENTITY_CACHE asks for: shared in Redis when REDIS_URL is set, else in memory. */
export function createEntityCache(
  config: GatewayConfig,
  log: Logger,
  metrics?: ServiceMetrics,
): EntityCache | undefined {
  if (!config.ENTITY_CACHE) return undefined;
  const maxTtlSeconds = config.ENTITY_CACHE_MAX_TTL_SECONDS;
  const store = config.REDIS_URL
    ? new RedisEntityCacheStore(config.REDIS_URL, log, maxTtlSeconds * 1000)
    : new MemoryEntityCacheStore(config.ENTITY_CACHE_MAX_ENTRIES);
  return new EntityCache({ store, maxTtlSeconds, log, onLookup: metrics?.recordEntityCache });
}
