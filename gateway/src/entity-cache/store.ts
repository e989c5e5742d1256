/**
 * One cached value. A PRIVATE response leaves a marker without a value under its shared key
 * (so later lookups know to look under the caller's own key) and the value under the caller's key.
 */
export interface StoredEntry {
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: 'PUBLIC' | 'PRIVATE';
  /** Absent on a PRIVATE marker. */
  value?: unknown;
}

export interface StoreWrite {
  key: string;
  entry: StoredEntry;
  /** Invalidation handles (`entity:Product:42`, `type:Product`, `root`): invalidate(tag) drops the entry. */
  tags: readonly string[];
}

/** The entity cache's storage port: in-memory LRU (memory-store.ts) or Redis (redis-store.ts). */
export interface EntityCacheStore {
  /** Entries by key, undefined where missing or expired. Never rejects: a failing store is a miss. */
  get(keys: readonly string[]): Promise<(StoredEntry | undefined)[]>;
  set(writes: readonly StoreWrite[]): Promise<void>;
  /** Drops every entry carrying one of the tags. */
  invalidate(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
