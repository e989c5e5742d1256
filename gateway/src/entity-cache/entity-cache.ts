// The gateway's entity cache, after Apollo Router's: subgraph responses to queries are cached by
// the subgraph's own cache hints (Cache-Control), at two grains —
// - an `_entities` fetch is split per representation: each entity is cached on its own (keyed by
//   subgraph, type, representation and the hash of the fetch's selection and other variables), so
//   one product cached by the product page also serves the search listing's fetch of the same
//   fields; only the misses are fetched, and the answer is merged back in order;
// - any other query fetch (root fields) is cached whole, keyed by subgraph, document and variables.
// PRIVATE responses are only cached per caller (keyed by user id; never for guests). Mutations,
// subscriptions and responses with errors are never cached. Entries are dropped by events
// (invalidation.ts) before their TTL when the data behind them changes.
import { createHash } from 'node:crypto';
import { getOperationAST, OperationTypeNode, parse, type GraphQLFormattedError } from 'graphql';
import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@cloudmart/runtime';
import type { GatewayContext } from '../context';
import { cachePolicyOf, type CachePolicy } from './policy';
import type { EntityCacheStore, StoredEntry, StoreWrite } from './store';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;
/** The real subgraph fetch the cache wraps. */
export type SubgraphFetch = (options: ProcessOptions) => Promise<SubgraphResponse>;

/** The tag every cached root-field response carries: any product or stock change drops them all. */
export const ROOT_TAG = 'root';
export const typeTag = (typename: string) => `type:${typename}`;
export const entityTag = (typename: string, id: string) => `entity:${typename}:${id}`;

const ENTITIES_FIELD = /\b_entities\s*\(/;
const MAX_REMEMBERED_DOCUMENTS = 1_000;

interface Cacheable {
  key: string;
  value: unknown;
  tags: string[];
}

export interface EntityCacheOptions {
  store: EntityCacheStore;
  /** Upper bound on any entry's TTL, whatever a subgraph's max-age says. */
  maxTtlSeconds: number;
  log: Logger;
  /** Counts what the cache answered (metrics): entities or root responses, by subgraph. */
  onLookup?(subgraph: string, result: 'hit' | 'miss' | 'bypass', count: number): void;
}

export class EntityCache {
  /** Bumped by every invalidation: a fetch that started before one does not store its answer. */
  private generation = 0;
  private readonly isQueryByDocument = new Map<string, boolean>();
  /**
   * Subgraph documents whose last answer carried no cacheable Cache-Control: fetched straight
   * through, without hashing representations or asking the store (a network round trip with
   * Redis). Each such answer is still read, so a document that becomes cacheable is cached again.
   */
  private readonly uncacheable = new Set<string>();

  constructor(private readonly options: EntityCacheOptions) {}

  /** Answers a subgraph fetch from the cache where it can, calling `fetch` for the rest. */
  async process(subgraph: string, options: ProcessOptions, fetch: SubgraphFetch): Promise<SubgraphResponse> {
    if (!('incomingRequestContext' in options)) return fetch(options); // health checks, schema loads
    const { query, variables = {} } = options.request;
    if (!query || !this.isQuery(query, options.request.operationName)) return fetch(options);
    const documentKey = `${subgraph}\u0000${query}`;
    if (this.uncacheable.has(documentKey)) {
      this.options.onLookup?.(subgraph, 'bypass', 1);
      const response = await fetch(options);
      if (this.policyOf(response)) this.uncacheable.delete(documentKey);
      return response;
    }
    const callerId = options.context.identity?.userId;
    const representations = variables.representations;
    if (Array.isArray(representations) && ENTITIES_FIELD.test(query)) {
      return this.entities(subgraph, documentKey, options, fetch, representations as unknown[], callerId);
    }
    return this.root(subgraph, documentKey, options, fetch, callerId);
  }

  /** Drops every entry carrying one of the tags (see invalidation.ts). */
  async invalidate(tags: readonly string[]): Promise<void> {
    this.generation += 1;
    await this.options.store.invalidate(tags);
  }

  close(): Promise<void> {
    return this.options.store.close();
  }

  private async root(
    subgraph: string,
    documentKey: string,
    options: ProcessOptions,
    fetch: SubgraphFetch,
    callerId?: string,
  ) {
    const { query, variables } = options.request;
    const key = `root:${subgraph}:${digest([query, variables ?? {}])}`;
    const [hit] = await this.lookup([key], callerId);
    this.options.onLookup?.(subgraph, hit ? 'hit' : 'miss', 1);
    if (hit) {
      this.restrictOverallPolicy(options, [hit]);
      return { data: hit.value as Record<string, unknown> };
    }
    const generation = this.generation;
    const response = await fetch(options);
    const policy = this.policyOf(response, documentKey);
    if (policy && response.data && !response.errors?.length && generation === this.generation) {
      await this.save([{ key, value: response.data, tags: [ROOT_TAG] }], policy, callerId);
    }
    return response;
  }

  private async entities(
    subgraph: string,
    documentKey: string,
    options: ProcessOptions,
    fetch: SubgraphFetch,
    representations: unknown[],
    callerId?: string,
  ): Promise<SubgraphResponse> {
    const { query, variables = {} } = options.request;
    const { representations: _all, ...otherVariables } = variables;
    const selection = digest([query, otherVariables]);
    const keys = representations.map(
      (representation) =>
        `entity:${subgraph}:${typenameOf(representation)}:${selection}:${digest(representation)}`,
    );
    const hits = await this.lookup(keys, callerId);
    const misses = hits.flatMap((hit, index) => (hit ? [] : [index]));
    const cached = hits.filter((hit): hit is StoredEntry => hit !== undefined);
    this.options.onLookup?.(subgraph, 'hit', cached.length);
    this.options.onLookup?.(subgraph, 'miss', misses.length);
    if (misses.length === 0) {
      this.restrictOverallPolicy(options, cached);
      return { data: { _entities: hits.map((hit) => hit!.value) } };
    }

    const generation = this.generation;
    const response =
      misses.length === representations.length
        ? await fetch(options)
        : await fetch({
            ...options,
            request: {
              ...options.request,
              variables: { ...variables, representations: misses.map((i) => representations[i]) },
            },
          });
    const fetched = response.data?._entities;
    // Error paths point into the fetched list: point them at the caller's positions.
    const errors = response.errors?.map((error) => remapPath(error, misses));
    if (!Array.isArray(fetched) || fetched.length !== misses.length) {
      return misses.length === representations.length ? response : { ...response, data: null, errors };
    }
    if (cached.length) this.restrictOverallPolicy(options, cached);

    const failed = new Set<number>();
    let unplaced = false;
    for (const error of response.errors ?? []) {
      const at = error.path?.[0] === '_entities' ? error.path[1] : undefined;
      if (typeof at === 'number') failed.add(at);
      else unplaced = true;
    }
    const policy = this.policyOf(response, documentKey);
    if (policy && !unplaced && generation === this.generation) {
      const fresh = misses.flatMap((original, index): Cacheable[] => {
        const entity = fetched[index] as unknown;
        if (entity === null || entity === undefined || failed.has(index)) return [];
        return [{ key: keys[original]!, value: entity, tags: tagsOf(representations[original]) }];
      });
      await this.save(fresh, policy, callerId);
    }
    const merged = hits.map((hit) => hit?.value);
    misses.forEach((original, index) => (merged[original] = fetched[index]));
    return { ...response, data: { ...response.data, _entities: merged }, ...(errors ? { errors } : {}) };
  }

  /** Entries for the keys: shared ones, or for a PRIVATE marker the caller's own (guests: none). */
  private async lookup(keys: readonly string[], callerId?: string): Promise<(StoredEntry | undefined)[]> {
    const found = await this.options.store.get(keys);
    const privateAt: number[] = [];
    const result = found.map((entry, index) => {
      if (!entry) return undefined;
      if (entry.scope === 'PUBLIC') return entry;
      if (callerId) privateAt.push(index);
      return undefined;
    });
    if (privateAt.length) {
      const own = await this.options.store.get(privateAt.map((index) => privateKey(keys[index]!, callerId!)));
      own.forEach((entry, i) => (result[privateAt[i]!] = entry?.value === undefined ? undefined : entry));
    }
    return result;
  }

  private async save(items: readonly Cacheable[], policy: CachePolicy, callerId?: string) {
    if (items.length === 0) return;
    const expiresAt = Date.now() + policy.ttlMs;
    const writes = items.flatMap(({ key, value, tags }): StoreWrite[] => {
      if (policy.scope === 'PUBLIC') return [{ key, entry: { expiresAt, scope: 'PUBLIC', value }, tags }];
      const marker: StoreWrite = { key, entry: { expiresAt, scope: 'PRIVATE' }, tags };
      if (!callerId) return [marker];
      return [
        marker,
        { key: privateKey(key, callerId), entry: { expiresAt, scope: 'PRIVATE', value }, tags },
      ];
    });
    await this.options.store.set(writes);
  }

  /** The response's cache policy; with a document key, remembers a document that gave none. */
  private policyOf(response: SubgraphResponse, documentKey?: string) {
    const policy = cachePolicyOf(response.http?.headers.get('cache-control'), this.options.maxTtlSeconds);
    if (!policy && documentKey) {
      if (this.uncacheable.size >= MAX_REMEMBERED_DOCUMENTS) this.uncacheable.clear();
      this.uncacheable.add(documentKey);
    }
    return policy;
  }

  /**
   * A response built from the cache still limits the gateway's own Cache-Control header, as the
   * subgraph's header does for a fetched one (@apollo/gateway's honorSubgraphCacheControlHeader).
   */
  private restrictOverallPolicy(options: ProcessOptions, entries: readonly StoredEntry[]) {
    if (!('incomingRequestContext' in options) || entries.length === 0) return;
    const policy = options.incomingRequestContext.overallCachePolicy;
    if (!policy || !('restrict' in policy)) return;
    const expiresAt = Math.min(...entries.map((entry) => entry.expiresAt));
    policy.restrict({
      maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
      scope: entries.some((entry) => entry.scope === 'PRIVATE') ? 'PRIVATE' : 'PUBLIC',
    });
  }

  /** Only queries are cached; the planner's documents are few, so the answer is remembered. */
  private isQuery(query: string, operationName: string | undefined): boolean {
    let answer = this.isQueryByDocument.get(query);
    if (answer === undefined) {
      try {
        answer = getOperationAST(parse(query), operationName)?.operation === OperationTypeNode.QUERY;
      } catch {
        answer = false;
      }
      if (this.isQueryByDocument.size >= MAX_REMEMBERED_DOCUMENTS) this.isQueryByDocument.clear();
      this.isQueryByDocument.set(query, answer);
    }
    return answer;
  }
}

/** JSON with object keys sorted, so equal values hash the same whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const digest = (value: unknown) => createHash('sha256').update(canonical(value)).digest('base64url');

const privateKey = (key: string, callerId: string) => `${key}:user:${digest(callerId)}`;

function typenameOf(representation: unknown): string {
  const typename = (representation as { __typename?: unknown } | null)?.__typename;
  return typeof typename === 'string' ? typename : '?';
}

/** Every entity is dropped by its type; entities keyed by `id` (all of ours) also by type and id. */
function tagsOf(representation: unknown): string[] {
  const typename = typenameOf(representation);
  const id = (representation as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number'
    ? [typeTag(typename), entityTag(typename, String(id))]
    : [typeTag(typename)];
}

function remapPath(error: GraphQLFormattedError, misses: readonly number[]): GraphQLFormattedError {
  const [field, index, ...rest] = error.path ?? [];
  if (field !== '_entities' || typeof index !== 'number' || misses[index] === undefined) return error;
  return { ...error, path: ['_entities', misses[index], ...rest] };
}
