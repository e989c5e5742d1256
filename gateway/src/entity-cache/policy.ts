/** How long, and for whom, a subgraph response may be cached: its Cache-Control header, capped. */
export interface CachePolicy {
  ttlMs: number;
  /** PRIVATE responses are only ever served back to the caller they were fetched for. */
  scope: 'PUBLIC' | 'PRIVATE';
}

/**
 * Reads the header Apollo Server's cache control plugin writes from the subgraph's cache hints
 * (`max-age=60, public`, `max-age=60, private` or `no-store`). Anything else — no header, no-store,
 * no-cache, max-age=0 — is not cacheable: only what a subgraph declares cacheable is cached.
 */
export function cachePolicyOf(header: string | null | undefined, maxTtlSeconds: number): CachePolicy | null {
  if (!header) return null;
  const directives = new Map<string, string | true>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (name) directives.set(name, value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  if (directives.has('no-store') || directives.has('no-cache')) return null;
  const maxAge = directives.get('s-maxage') ?? directives.get('max-age');
  if (typeof maxAge !== 'string' || !/^\d+$/.test(maxAge)) return null;
  const seconds = Math.min(Number(maxAge), maxTtlSeconds);
  if (seconds <= 0) return null;
  return { ttlMs: seconds * 1000, scope: directives.has('private') ? 'PRIVATE' : 'PUBLIC' };
}
