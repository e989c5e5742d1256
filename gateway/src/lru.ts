/**
 * A small bounded map for per-document memoization (docs/performance.md): at most `size` entries,
 * the least recently used dropped first. Size 0 keeps nothing (memoization off).
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly size: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.size <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  /** The memoized value of `key`, computing and keeping it on a miss. */
  memo(key: K, compute: () => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = compute();
    this.set(key, value);
    return value;
  }

  get count(): number {
    return this.entries.size;
  }
}
