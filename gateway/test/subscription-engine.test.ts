// The subscription engine's delivery rules, on in-process buses and a stand-in for the
// supergraph query: a slow subscriber is ended without holding anyone else up, a redelivered
// event reaches nobody twice, and a refused per-event fetch ends the subscription — for the
// order feed and for insights' sales windows feed (liveSales) alike.
import { buildSchema, parse, print, type FormattedExecutionResult } from 'graphql';
import pino from 'pino';
import { InProcessEventBus, type EventEnvelope, type Identity } from '@cloudmart/runtime';
import type { SalesWindowEvent } from '@cloudmart/insights/contract';
import { testEvent, waitFor } from '@cloudmart/test-kit';
import { BUFFER_FULL, SubscriptionEngine, type QueryExecutor, type SubscriberContext } from '../src/subscriptions/engine';
import { orderFeed, salesWindowFeed } from '../src/subscriptions/feeds';

const schema = buildSchema(`
  enum OrderStatus { PENDING_PAYMENT PAID }
  type Order { id: ID! status: OrderStatus! }
  type OrderEvent { status: OrderStatus! at: String! order: Order! }
  scalar DateTime
  type SalesWindow { start: DateTime! orders: Int! }
  type Query { order(id: ID!): Order salesWindow(start: DateTime!): SalesWindow }
  type Subscription { orderUpdated(orderId: ID!): Order! myOrderUpdates: Order! orderEvents: OrderEvent! liveSales: SalesWindow! }
`);
const log = pino({ level: 'silent' });
const caller = (identity: Identity): SubscriberContext => ({
  identity,
  authorization: `Bearer ${identity.userId}`,
  requestId: identity.userId,
  log,
});
const alice = caller({ userId: 'alice', role: 'CUSTOMER' });
const bob = caller({ userId: 'bob', role: 'CUSTOMER' });
const admin = caller({ userId: 'admin', role: 'ADMIN' });

type Result = { data?: { myOrderUpdates?: { id: string } } | null; errors?: readonly { extensions?: { code?: unknown } }[] };

describe('subscription engine', () => {
  let bus: InProcessEventBus;
  let windowBus: InProcessEventBus<SalesWindowEvent>;
  let engine: SubscriptionEngine;
  let fetches: number;
  /** Per-event fetches to refuse as the gateway's authorization does (@requiresScopes). */
  let unauthorizedFetches: number;
  let refuse: Set<string>;
  /** Per-event fetches to fail as if a subgraph were down, before they succeed. */
  let unavailableFetches: number;

  beforeEach(async () => {
    bus = new InProcessEventBus();
    windowBus = new InProcessEventBus<SalesWindowEvent>();
    fetches = 0;
    unauthorizedFetches = 0;
    refuse = new Set();
    unavailableFetches = 0;
    // Stands in for the gateway's pipeline: the order (or window) as the subscriber's query selects it.
    const executeQuery: QueryExecutor = async (document, variables, context) => {
      fetches += 1;
      if (unavailableFetches > 0) {
        unavailableFetches -= 1;
        return { data: { __cloudmartEntity0: null }, errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } as FormattedExecutionResult;
      }
      if (refuse.has(context.identity!.userId)) {
        return { data: { __cloudmartEntity0: null }, errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] } as FormattedExecutionResult;
      }
      if (print(document).includes('salesWindow(start: $__cloudmartEventKey)')) {
        if (unauthorizedFetches > 0) {
          unauthorizedFetches -= 1;
          return { data: null, errors: [{ message: 'no', extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }] } as FormattedExecutionResult;
        }
        return { data: { __cloudmartEntity0: { start: variables.__cloudmartEventKey, orders: 3 } } };
      }
      return { data: { __cloudmartEntity0: { id: variables.__cloudmartEventKey } } };
    };
    engine = new SubscriptionEngine({
      feeds: [orderFeed(bus), salesWindowFeed(windowBus)],
      schema: () => schema,
      executeQuery,
      log,
      bufferSize: 5,
      retryDelaysMs: [1, 1, 1],
    });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await bus.close();
    await windowBus.close();
  });

  const subscribe = async (context: SubscriberContext, onOverflow?: () => void) => {
    const stream = await engine.subscribe({ document: parse('subscription { myOrderUpdates { id } }'), context, onOverflow });
    if (!(Symbol.asyncIterator in stream)) throw new Error(`refused: ${JSON.stringify(stream.errors)}`);
    return stream as AsyncIterableIterator<Result>;
  };
  const publish = (events: EventEnvelope[]) => bus.publish(events);
  const forUser = (userId: string, n: number) => ({ ...testEvent(`order-${userId}-${n}`, n), userId });

  it('ends a subscriber that stops reading, while another keeps getting every event', async () => {
    let overflowed = false;
    const slow = await subscribe(alice, () => {
      overflowed = true;
    });
    const fast = await subscribe(alice);
    const received: Result[] = [];
    void (async () => {
      for await (const result of fast) received.push(result);
    })();

    // One event at a time, as a reader that keeps up sees them.
    for (let n = 0; n < 20; n++) {
      await publish([forUser('alice', n)]);
      await waitFor(`result ${n}`, () => received.length === n + 1);
    }
    expect(received.map((r) => r.data?.myOrderUpdates?.id)).toEqual(Array.from({ length: 20 }, (_, n) => `order-alice-${n}`));
    expect(overflowed).toBe(true);

    // The one that never read gets what fitted, then the reason it was ended, then nothing more.
    const delivered: Result[] = [];
    for await (const result of slow) delivered.push(result);
    expect(delivered.at(-1)?.errors?.map((e) => e.extensions?.code)).toEqual([BUFFER_FULL]);
    expect(delivered.length).toBeLessThanOrEqual(1);
    // Same operation and token: the two subscriptions shared one fetch per event.
    expect(fetches).toBe(20);
  });

  it('delivers a redelivered event once, and only to the subscribers it concerns', async () => {
    const aliceStream = await subscribe(alice);
    const bobStream = await subscribe(bob);
    const event = forUser('alice', 1);
    await publish([event, { ...event }, forUser('bob', 2)]);
    expect((await aliceStream.next()).value.data).toEqual({ myOrderUpdates: { id: 'order-alice-1' } });
    expect((await bobStream.next()).value.data).toEqual({ myOrderUpdates: { id: 'order-bob-2' } });
    await publish([forUser('alice', 3)]);
    expect((await aliceStream.next()).value.data).toEqual({ myOrderUpdates: { id: 'order-alice-3' } }); // not the duplicate
  });

  it('ends the subscription when a per-event fetch is refused (an expired token, say)', async () => {
    const stream = await subscribe(alice);
    refuse.add('alice');
    await publish([forUser('alice', 1), forUser('alice', 2)]);
    const first = await stream.next();
    expect(first.value.errors.map((e: { extensions?: { code?: unknown } }) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await stream.next()).done).toBe(true);
    expect(engine.activeCount).toBe(0);
  });

  it('retries a per-event fetch while a subgraph cannot be reached, and delivers the update, in order', async () => {
    const stream = await subscribe(alice);
    unavailableFetches = 2; // both events' first fetches fail (a subgraph restarting), their retries succeed
    await publish([forUser('alice', 1), forUser('alice', 2)]);
    const first = (await stream.next()).value as Result;
    const second = (await stream.next()).value as Result;
    expect(first.errors).toBeUndefined();
    expect([first.data?.myOrderUpdates?.id, second.data?.myOrderUpdates?.id]).toEqual(['order-alice-1', 'order-alice-2']);
    expect(fetches).toBe(4);
  });

  it('delivers the failure once the retries are spent', async () => {
    const stream = await subscribe(alice);
    unavailableFetches = 10;
    await publish([forUser('alice', 1)]);
    const result = (await stream.next()).value as Result;
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(fetches).toBe(4); // the first try and three retries
    expect(engine.activeCount).toBe(1); // not an access refusal: the subscription goes on
  });

  describe('liveSales, from the sales windows feed', () => {
    const LIVE_SALES = parse('subscription { liveSales { start orders } }');
    const windowEvent = (start: string, revision = 1): SalesWindowEvent => ({
      eventId: `${start}#${revision}`,
      type: revision === 1 ? 'SalesWindowClosed' : 'SalesWindowUpdated',
      version: 1,
      windowStart: start,
      windowEnd: new Date(Date.parse(start) + 60_000).toISOString(),
      revision,
      occurredAt: new Date().toISOString(),
    });
    type WindowResult = { data?: { liveSales?: { start: string; orders: number } } | null; errors?: readonly { extensions?: { code?: unknown } }[] };

    const subscribeLive = async (context: SubscriberContext) => {
      const stream = await engine.subscribe({ document: LIVE_SALES, context });
      if (!(Symbol.asyncIterator in stream)) throw new Error(`refused: ${JSON.stringify(stream.errors)}`);
      return stream as AsyncIterableIterator<WindowResult>;
    };

    it('joins the feed with its first subscriber, then pushes each window once, fetched by its start', async () => {
      // Before anyone follows liveSales the gateway is not in the topic: from 'latest', this is not owed.
      await windowBus.publish([windowEvent('2026-12-01T10:00:00.000Z')]);
      const stream = await subscribeLive(admin);
      const first = windowEvent('2026-12-01T10:01:00.000Z');
      await windowBus.publish([first, { ...first }, windowEvent('2026-12-01T10:01:00.000Z', 2)]);
      expect((await stream.next()).value).toEqual({ data: { liveSales: { start: '2026-12-01T10:01:00.000Z', orders: 3 } } });
      expect((await stream.next()).value).toEqual({ data: { liveSales: { start: '2026-12-01T10:01:00.000Z', orders: 3 } } }); // revision 2
      await windowBus.publish([windowEvent('2026-12-01T10:02:00.000Z')]);
      expect((await stream.next()).value.data?.liveSales?.start).toBe('2026-12-01T10:02:00.000Z'); // not the duplicate
      expect(fetches).toBe(3);
      // Order events are another feed: they do not reach liveSales.
      await publish([forUser('alice', 1)]);
      await windowBus.publish([windowEvent('2026-12-01T10:03:00.000Z')]);
      expect((await stream.next()).value.data?.liveSales?.start).toBe('2026-12-01T10:03:00.000Z');
    });

    it('refuses a shopper with FORBIDDEN, and ends the subscription when a per-event fetch is refused', async () => {
      const refused = await engine.subscribe({ document: LIVE_SALES, context: alice });
      expect(Symbol.asyncIterator in refused).toBe(false);
      expect((refused as { errors?: { extensions?: { code?: unknown } }[] }).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

      const stream = await subscribeLive(admin);
      unauthorizedFetches = 1;
      await windowBus.publish([windowEvent('2026-12-01T11:00:00.000Z'), windowEvent('2026-12-01T11:01:00.000Z')]);
      expect(((await stream.next()).value as WindowResult).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      expect((await stream.next()).done).toBe(true);
      expect(engine.activeCount).toBe(0);
    });
  });
});
