// The subscription engine's delivery rules, on an in-process bus and a stand-in for the
// supergraph query: a slow subscriber is ended without holding anyone else up, a redelivered
// event reaches nobody twice, and a refused per-event fetch ends the subscription.
import { buildSchema, parse, type FormattedExecutionResult } from 'graphql';
import pino from 'pino';
import { InProcessEventBus, type EventEnvelope, type Identity } from '@cloudmart/runtime';
import { testEvent, waitFor } from '@cloudmart/test-kit';
import { BUFFER_FULL, SubscriptionEngine, type QueryExecutor, type SubscriberContext } from '../src/subscriptions/engine';

const schema = buildSchema(`
  enum OrderStatus { PENDING_PAYMENT PAID }
  type Order { id: ID! status: OrderStatus! }
  type OrderEvent { status: OrderStatus! at: String! order: Order! }
  type Query { order(id: ID!): Order }
  type Subscription { orderUpdated(orderId: ID!): Order! myOrderUpdates: Order! orderEvents: OrderEvent! }
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

type Result = { data?: { myOrderUpdates?: { id: string } } | null; errors?: readonly { extensions?: { code?: unknown } }[] };

describe('subscription engine', () => {
  let bus: InProcessEventBus;
  let engine: SubscriptionEngine;
  let fetches: number;
  let refuse: Set<string>;
  /** Per-event fetches to fail as if a subgraph were down, before they succeed. */
  let unavailableFetches: number;

  beforeEach(async () => {
    bus = new InProcessEventBus();
    fetches = 0;
    refuse = new Set();
    unavailableFetches = 0;
    // Stands in for the gateway's pipeline: the order as the subscriber's query selects it.
    const executeQuery: QueryExecutor = async (_document, variables, context) => {
      fetches += 1;
      if (unavailableFetches > 0) {
        unavailableFetches -= 1;
        return { data: { __cloudmartOrder0: null }, errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } as FormattedExecutionResult;
      }
      if (refuse.has(context.identity!.userId)) {
        return { data: { __cloudmartOrder0: null }, errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] } as FormattedExecutionResult;
      }
      return { data: { __cloudmartOrder0: { id: variables.__cloudmartEventOrderId } } };
    };
    engine = new SubscriptionEngine({ bus, schema: () => schema, executeQuery, log, bufferSize: 5, retryDelaysMs: [1, 1, 1] });
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await bus.close();
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
});
