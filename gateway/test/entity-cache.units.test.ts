// The entity cache's core without a supergraph: splitting `_entities` fetches into hits and
// misses, merging in order, error paths, scopes, invalidation, and what is never cached.
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createLogger } from '@cloudmart/runtime';
import type { GatewayContext } from '../src/context';
import { EntityCache, orderEventTags, productEventTags, type SubgraphFetch } from '../src/entity-cache';
import { MemoryEntityCacheStore } from '../src/entity-cache/memory-store';
import { cachePolicyOf } from '../src/entity-cache/policy';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
const log = createLogger('test', 'silent');
const ENTITIES =
  'query P__products__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{name}}}';
const product = (id: string) => ({ __typename: 'Product', id });

function options(query: string, variables: Record<string, unknown>, userId?: string): Options {
  const hints: { maxAge?: number; scope?: string }[] = [];
  return {
    kind: 'incoming operation',
    request: { query, variables },
    context: { requestId: 'r', log, identity: userId ? { userId, role: 'CUSTOMER' } : null },
    incomingRequestContext: {
      overallCachePolicy: { restrict: (hint: { maxAge?: number }) => hints.push(hint) },
    },
    hints,
  } as unknown as Options;
}

/** A subgraph that names each product after its id and records which representations it was asked for. */
function fakeSubgraph(cacheControl = 'max-age=60, public') {
  const calls: unknown[][] = [];
  const fetch: SubgraphFetch = async (opts) => {
    const representations = opts.request.variables?.representations as { id: string }[] | undefined;
    const http = new Response(null, { headers: { 'cache-control': cacheControl } });
    if (!representations) {
      calls.push([opts.request.variables]);
      return {
        data: { me: { id: (opts.context as GatewayContext).identity?.userId ?? null } },
        http,
      } as never;
    }
    calls.push(representations.map((r) => r.id));
    return {
      data: { _entities: representations.map((r) => (r.id === 'gone' ? null : { name: `name ${r.id}` })) },
      ...(representations.some((r) => r.id === 'broken')
        ? {
            errors: [
              {
                message: 'boom',
                path: ['_entities', representations.findIndex((r) => r.id === 'broken'), 'name'],
              },
            ],
          }
        : {}),
      http,
    } as never;
  };
  return { fetch, calls };
}

const newCache = () => new EntityCache({ store: new MemoryEntityCacheStore(100), maxTtlSeconds: 300, log });

describe('entity cache', () => {
  it('sends a document whose answers carry no cache hints straight through, until one does', async () => {
    const store = new MemoryEntityCacheStore(100);
    let lookups = 0;
    const get = store.get.bind(store);
    store.get = (keys) => {
      lookups += 1;
      return get(keys);
    };
    const cache = new EntityCache({ store, maxTtlSeconds: 300, log });
    let cacheControl = 'no-store';
    const calls: string[] = [];
    const fetch: SubgraphFetch = async (opts) => {
      const representations = opts.request.variables?.representations as { id: string }[];
      calls.push(representations.map((r) => r.id).join(','));
      return {
        data: { _entities: representations.map((r) => ({ name: `name ${r.id}` })) },
        http: new Response(null, { headers: { 'cache-control': cacheControl } }),
      } as never;
    };
    const ask = () => cache.process('products', options(ENTITIES, { representations: [product('1')] }), fetch);
    await ask(); // looked up, fetched, found uncacheable
    await ask();
    await ask();
    expect(lookups).toBe(1);
    cacheControl = 'max-age=60, public';
    await ask(); // still straight through, but its hints turn caching back on
    await ask(); // looked up: a miss, fetched and stored
    await ask(); // a hit
    expect(calls).toHaveLength(5);
    expect(lookups).toBe(3);
  });

  it('fetches only the entities it does not hold and answers in the order asked', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph();
    await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1'), product('2')] }),
      subgraph.fetch,
    );
    const opts = options(ENTITIES, { representations: [product('2'), product('3'), product('1')] });
    const response = await cache.process('products', opts, subgraph.fetch);
    expect(subgraph.calls).toEqual([['1', '2'], ['3']]);
    expect(response.data).toEqual({
      _entities: [{ name: 'name 2' }, { name: 'name 3' }, { name: 'name 1' }],
    });
    // Hits still limit the gateway's own Cache-Control.
    expect((opts as unknown as { hints: { maxAge: number; scope: string }[] }).hints).toEqual([
      { maxAge: expect.any(Number), scope: 'PUBLIC' },
    ]);

    await cache.process(
      'products',
      options(ENTITIES, { representations: [product('3'), product('1')] }),
      subgraph.fetch,
    );
    expect(subgraph.calls).toHaveLength(2); // all hits: no fetch at all
  });

  it('gives every reader its own copy (the gateway merges other subgraphs’ fields into what it gets)', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph();
    const first = await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1')] }),
      subgraph.fetch,
    );
    (first.data!._entities as Record<string, unknown>[])[0]!.secret = 'merged from another subgraph';
    const second = await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1')] }),
      subgraph.fetch,
    );
    (second.data!._entities as Record<string, unknown>[])[0]!.other = 'merged again';
    const third = await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1')] }),
      subgraph.fetch,
    );
    expect(third.data).toEqual({ _entities: [{ name: 'name 1' }] });
    expect(subgraph.calls).toHaveLength(1);
  });

  it('keys entities by subgraph and selection as well as by representation', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph();
    await cache.process('products', options(ENTITIES, { representations: [product('1')] }), subgraph.fetch);
    await cache.process('reviews', options(ENTITIES, { representations: [product('1')] }), subgraph.fetch);
    await cache.process(
      'products',
      options(ENTITIES.replace('{name}', '{name price}'), { representations: [product('1')] }),
      subgraph.fetch,
    );
    await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1')], first: 3 }),
      subgraph.fetch,
    );
    expect(subgraph.calls).toHaveLength(4);
  });

  it('moves error paths to the caller’s positions and caches neither failed nor missing entities', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph();
    await cache.process('products', options(ENTITIES, { representations: [product('1')] }), subgraph.fetch);
    const response = await cache.process(
      'products',
      options(ENTITIES, { representations: [product('1'), product('gone'), product('broken')] }),
      subgraph.fetch,
    );
    expect(response.errors).toEqual([{ message: 'boom', path: ['_entities', 2, 'name'] }]);
    expect(response.data?._entities).toEqual([{ name: 'name 1' }, null, { name: 'name broken' }]);
    await cache.process(
      'products',
      options(ENTITIES, { representations: [product('gone'), product('broken')] }),
      subgraph.fetch,
    );
    expect(subgraph.calls.at(-1)).toEqual(['gone', 'broken']);
  });

  it('caches nothing the subgraph did not declare cacheable, and never mutations', async () => {
    const cache = newCache();
    const uncacheable = fakeSubgraph('no-store');
    for (let i = 0; i < 2; i += 1) {
      await cache.process(
        'products',
        options(ENTITIES, { representations: [product('1')] }),
        uncacheable.fetch,
      );
    }
    expect(uncacheable.calls).toHaveLength(2);
    const subgraph = fakeSubgraph();
    for (let i = 0; i < 2; i += 1)
      await cache.process('users', options('mutation { me { id } }', {}), subgraph.fetch);
    expect(subgraph.calls).toHaveLength(2);
  });

  it('serves PRIVATE responses only to the caller they were fetched for, and never caches them for guests', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph('max-age=60, private');
    const me = (userId?: string) =>
      cache.process('users', options('{ me { id } }', {}, userId), subgraph.fetch);
    expect((await me('alice')).data).toEqual({ me: { id: 'alice' } });
    expect((await me('bob')).data).toEqual({ me: { id: 'bob' } });
    expect((await me('alice')).data).toEqual({ me: { id: 'alice' } });
    expect(subgraph.calls).toHaveLength(2); // alice's second read was hers, from the cache
    await me();
    await me();
    expect(subgraph.calls).toHaveLength(4);
  });

  it('drops entries by entity, by type and root responses by events', async () => {
    const cache = newCache();
    const subgraph = fakeSubgraph();
    const read = (ids: string[]) =>
      cache.process('products', options(ENTITIES, { representations: ids.map(product) }), subgraph.fetch);
    await read(['1', '2']);
    await cache.invalidate(
      orderEventTags(event('OrderPlaced', { items: [{ productId: '1', quantity: 1 }] })),
    );
    await read(['1', '2']);
    expect(subgraph.calls.at(-1)).toEqual(['1']);
    await cache.invalidate(orderEventTags(event('OrderCancelled', { from: 'PAID' })));
    await read(['1', '2']);
    expect(subgraph.calls.at(-1)).toEqual(['1', '2']);
    await cache.invalidate(
      productEventTags({ ...event('ProductUpdated', { fields: ['price'] }), productId: '2' }),
    );
    await read(['1', '2']);
    expect(subgraph.calls.at(-1)).toEqual(['2']);
    expect(orderEventTags(event('OrderPaid', {}))).toEqual([]);
  });

  it('reads TTL and scope from Cache-Control, capped', () => {
    expect(cachePolicyOf('max-age=60, public', 300)).toEqual({ ttlMs: 60_000, scope: 'PUBLIC' });
    expect(cachePolicyOf('max-age=600, private', 300)).toEqual({ ttlMs: 300_000, scope: 'PRIVATE' });
    expect(cachePolicyOf('no-store', 300)).toBeNull();
    expect(cachePolicyOf('max-age=0, public', 300)).toBeNull();
    expect(cachePolicyOf(undefined, 300)).toBeNull();
  });

  it('evicts the least recently used entries beyond its size', async () => {
    const store = new MemoryEntityCacheStore(2);
    const entry = { expiresAt: Date.now() + 60_000, scope: 'PUBLIC' as const, value: 1 };
    await store.set([
      { key: 'a', entry, tags: ['t'] },
      { key: 'b', entry, tags: ['t'] },
    ]);
    await store.get(['a']);
    await store.set([{ key: 'c', entry, tags: [] }]);
    expect((await store.get(['a', 'b', 'c'])).map(Boolean)).toEqual([true, false, true]);
  });
});

function event(type: string, payload: Record<string, unknown>) {
  return {
    eventId: type,
    type,
    version: 1,
    orderId: 'o',
    userId: 'u',
    occurredAt: new Date().toISOString(),
    payload,
  };
}
