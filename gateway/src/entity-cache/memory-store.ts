import type { EntityCacheStore, StoredEntry, StoreWrite } from './store';

interface Held {
  expiresAt: number;
  /** The entry as JSON: the gateway merges other subgraphs' fields into the objects it is given,
   *  so every reader gets its own copy, as from Redis. */
  json: string;
  tags: readonly string[];
}

/**
 * The default store: this process's memory, least recently used entries evicted beyond
 * `maxEntries` (a Map keeps insertion order; a read moves the entry to the end).
 */
export class MemoryEntityCacheStore implements EntityCacheStore {
  private readonly entries = new Map<string, Held>();
  private readonly tagged = new Map<string, Set<string>>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size() {
    return this.entries.size;
  }

  async get(keys: readonly string[]): Promise<(StoredEntry | undefined)[]> {
    const now = this.now();
    return keys.map((key) => {
      const held = this.entries.get(key);
      if (!held) return undefined;
      if (held.expiresAt <= now) {
        this.delete(key);
        return undefined;
      }
      this.entries.delete(key);
      this.entries.set(key, held);
      return JSON.parse(held.json) as StoredEntry;
    });
  }

  async set(writes: readonly StoreWrite[]): Promise<void> {
    for (const { key, entry, tags } of writes) {
      this.delete(key);
      this.entries.set(key, { expiresAt: entry.expiresAt, json: JSON.stringify(entry), tags });
      for (const tag of tags) {
        let keys = this.tagged.get(tag);
        if (!keys) this.tagged.set(tag, (keys = new Set()));
        keys.add(key);
      }
    }
    while (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value!);
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      for (const key of this.tagged.get(tag) ?? []) this.delete(key);
      this.tagged.delete(tag);
    }
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.tagged.clear();
  }

  private delete(key: string) {
    const held = this.entries.get(key);
    if (!held) return;
    this.entries.delete(key);
    for (const tag of held.tags) {
      const keys = this.tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagged.delete(tag);
    }
  }
}
