// Live sales windows on DynamoDB Local, with a clock of the test's own: out-of-order events land
// in the windows of their event time; an event past the allowed lateness is counted as late and
// not added; a redelivered event changes nothing; a quiet stream's windows close by the wall
// clock (only once nothing is left to read); two replicas add to one window, which closes once.
import { randomUUID } from 'node:crypto';
import {
  createDocumentClient,
  createLogger,
  ensureTables,
  InProcessEventBus,
  tableName,
  type EventEnvelope,
} from '@cloudmart/runtime';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { insightsTables, type SalesWindowEvent } from '../src/contract';
import { SalesWindowStore } from '../src/data/sales-window-store';
import type { OrderLines } from '../src/data/order-history';
import { LiveSales } from '../src/workers/live-sales';

const log = createLogger('insights-test', 'silent');
const MINUTE = 60_000;
const LATENESS = 10_000;
/** A minute boundary: windows are [T0, T0+60s), [T0+60s, T0+120s), … */
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

// Products and their categories; orders and their lines (what the orders table would answer).
const categories = new Map([
  ['lamp', 'lighting'],
  ['bulb', 'lighting'],
  ['mug', 'kitchen'],
]);
const lookup = async (ids: string[]) => new Map(ids.flatMap((id) => (categories.has(id) ? [[id, categories.get(id)!] as const] : [])));

describe('live sales windows', () => {
  let dynamo: TestDynamoDb;
  let client: ReturnType<typeof createDocumentClient>;
  let now: number;
  let orders: Map<string, OrderLines>;
  let published: SalesWindowEvent[];
  let late: number;
  let store: SalesWindowStore;
  let bus: InProcessEventBus;

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: dynamo.tablePrefix });
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    // A table of each test's own: the closer works on every pending window of its table.
    const prefix = `${dynamo.tablePrefix}live-${randomUUID().slice(0, 8)}-`;
    await ensureTables(client, prefix, [insightsTables.salesWindows]);
    now = T0;
    orders = new Map();
    published = [];
    late = 0;
    store = new SalesWindowStore(client, tableName(prefix, insightsTables.salesWindows), () => now);
    bus = new InProcessEventBus();
  });
  afterEach(() => bus.close());

  const replica = (groupId = 'insights-live-sales') =>
    new LiveSales({
      bus,
      publisher: { publish: async (events) => void published.push(...events) },
      store,
      orderLines: async (orderId) => orders.get(orderId),
      categories: lookup,
      currency: 'USD',
      windowMs: MINUTE,
      latenessMs: LATENESS,
      closeEveryMs: 0, // the test runs the closer itself
      log,
      onLate: () => void (late += 1),
      clock: () => now,
      groupId,
    });

  /** An order with these lines, paid at `paidAt` (event time); the event arrives at the clock's `now`. */
  const paid = (paidAt: number, lines: [productId: string, quantity: number, unitPrice: number][]): EventEnvelope => {
    const orderId = randomUUID();
    orders.set(orderId, { currency: 'USD', lines: lines.map(([productId, quantity, unitPrice]) => ({ productId, quantity, unitPrice })) });
    return {
      eventId: randomUUID(),
      type: 'OrderPaid',
      version: 1,
      orderId,
      userId: 'shopper',
      occurredAt: iso(paidAt),
      payload: { paymentId: randomUUID(), amount: 1, currency: 'USD' },
    };
  };

  const figures = async (start: number) => {
    const window = await store.get(start);
    return window && {
      closed: window.closed,
      orders: window.orders,
      units: window.units,
      revenue: window.revenue,
      lateEvents: window.lateEvents,
      categories: window.categories,
    };
  };

  it('puts out-of-order events in the windows of their event time, and closes a window once the watermark passes it', async () => {
    const live = replica();
    await live.handle(paid(T0 + 50_000, [['lamp', 2, 1_500], ['mug', 1, 800]]));
    await live.handle(paid(T0 + 65_000, [['mug', 3, 800]])); // the next window; watermark 55 s
    await live.handle(paid(T0 + 55_000, [['bulb', 4, 250]])); // earlier, but within the lateness
    await live.closeDue();
    expect(published).toEqual([]); // the watermark (55 s) has not reached the first window's end (60 s)
    expect(await figures(T0)).toEqual({
      closed: false,
      orders: 2,
      units: 7,
      revenue: 2 * 1_500 + 800 + 4 * 250,
      lateEvents: 0,
      categories: [
        { category: 'lighting', orders: 2, units: 6, revenue: 4_000 },
        { category: 'kitchen', orders: 1, units: 1, revenue: 800 },
      ],
    });

    await live.handle(paid(T0 + 71_000, [['lamp', 1, 1_500]])); // watermark 61 s ≥ 60 s
    await live.closeDue();
    expect(published.map((event) => [event.type, event.windowStart, event.revision])).toEqual([['SalesWindowClosed', iso(T0), 1]]);
    expect(published[0]!.eventId).toBe(`${iso(T0)}#1`);
    expect(await figures(T0)).toMatchObject({ closed: true, orders: 2, units: 7, revenue: 4_800 });
    expect(await figures(T0 + MINUTE)).toMatchObject({ closed: false, orders: 2, units: 4, revenue: 3 * 800 + 1_500 });
    expect((await store.recentClosed(15)).map((window) => window.start)).toEqual([T0]);

    await live.closeDue(); // published once: nothing changed
    expect(published).toHaveLength(1);
  });

  it('counts an event later than the allowed lateness as late, without adding it; again for its window’s subscribers', async () => {
    const live = replica();
    await live.handle(paid(T0 + 30_000, [['lamp', 1, 1_500]]));
    await live.handle(paid(T0 + 75_000, [['mug', 1, 800]])); // watermark 65 s: the first window is due
    // Late by the watermark, before any close: its window ended at 60 s ≤ 65 s.
    const lateEvent = paid(T0 + 59_000, [['lamp', 5, 1_500]]);
    await live.handle(lateEvent);
    expect(await figures(T0)).toMatchObject({ closed: false, orders: 1, units: 1, revenue: 1_500, lateEvents: 1 });
    expect(late).toBe(1);
    await live.closeDue();
    expect(await figures(T0)).toMatchObject({ closed: true, orders: 1, units: 1, revenue: 1_500, lateEvents: 1 });
    expect(published.map((event) => event.type)).toEqual(['SalesWindowClosed']);

    // Late after the close: counted, and the window is pushed again with the new count.
    await live.handle(paid(T0 + 40_000, [['mug', 1, 800]]));
    expect(await figures(T0)).toMatchObject({ orders: 1, units: 1, lateEvents: 2 });
    await live.closeDue();
    expect(published.map((event) => event.type)).toEqual(['SalesWindowClosed', 'SalesWindowUpdated']);
    expect(published[1]!.revision).toBeGreaterThan(published[0]!.revision);
    // Redelivered: neither added nor counted again.
    await live.handle(lateEvent);
    expect(await figures(T0)).toMatchObject({ orders: 1, units: 1, lateEvents: 2 });
    expect(late).toBe(2);

    // Late by the store when this replica's watermark does not say so (another replica, or the
    // wall clock before a restart, closed the window): a fresh replica has no watermark yet.
    const restarted = replica();
    await restarted.handle(paid(T0 + 58_000, [['mug', 2, 800]]));
    expect(await figures(T0)).toMatchObject({ orders: 1, units: 1, lateEvents: 3 });
    expect(late).toBe(3);
  });

  it('changes nothing when an event is delivered again, before or after its window closes', async () => {
    const live = replica();
    const event = paid(T0 + 10_000, [['lamp', 2, 1_500]]);
    await live.handle(event);
    await live.handle(event);
    await live.handle(structuredClone(event));
    const once = { orders: 1, units: 2, revenue: 3_000, lateEvents: 0 };
    expect(await figures(T0)).toMatchObject(once);
    await live.handle(paid(T0 + 80_000, [['mug', 1, 800]]));
    await live.closeDue();
    await live.handle(event); // after the close: a repeat, not a late event
    expect(await figures(T0)).toMatchObject({ ...once, closed: true });
    expect(late).toBe(0);
    await live.closeDue();
    expect(published).toHaveLength(1);
  });

  it('closes the last window by the wall clock when no more events come, once nothing is left to read', async () => {
    const live = replica();
    now = T0 + 20_000;
    await live.handle(paid(T0 + 20_000, [['mug', 1, 800]]));
    now = T0 + MINUTE + LATENESS - 1; // one ms before the window's end + lateness
    await live.closeDue();
    expect(await figures(T0)).toMatchObject({ closed: false });

    now = T0 + MINUTE + LATENESS;
    await bus.publish([paid(T0 + 21_000, [['mug', 1, 800]])]); // an event not yet read: the clock must wait
    await live.closeDue();
    expect(await figures(T0)).toMatchObject({ closed: false });
    expect(published).toEqual([]);

    await live.start(); // reads it (the group's lag goes to 0)…
    await waitUntil(async () => (await figures(T0))?.orders === 2);
    await live.stop();
    now += LATENESS; // …and after the allowed lateness of quiet, the clock closes the window
    await live.closeDue();
    expect(await figures(T0)).toMatchObject({ closed: true, orders: 2 });
    expect(published.map((event) => event.windowStart)).toEqual([iso(T0)]);
  });

  it('adds the sales of two replicas (each with some of the orders) to one window, closed and published once', async () => {
    const first = replica('group');
    const second = replica('group');
    await first.handle(paid(T0 + 5_000, [['lamp', 1, 1_500]]));
    await second.handle(paid(T0 + 6_000, [['mug', 2, 800]]));
    await first.handle(paid(T0 + 7_000, [['mug', 1, 800]]));
    await first.handle(paid(T0 + 90_000, [['bulb', 1, 250]]));
    await second.handle(paid(T0 + 91_000, [['bulb', 1, 250]]));
    await Promise.all([first.closeDue(), second.closeDue()]);
    await Promise.all([first.closeDue(), second.closeDue()]);
    expect(await figures(T0)).toMatchObject({
      closed: true,
      orders: 3,
      units: 4,
      revenue: 1_500 + 3 * 800,
      categories: [
        { category: 'kitchen', orders: 2, units: 3, revenue: 2_400 },
        { category: 'lighting', orders: 1, units: 1, revenue: 1_500 },
      ],
    });
    // Both may have published it; a repeat has the same event id, which the gateway delivers once.
    expect(new Set(published.map((event) => event.eventId))).toEqual(new Set([`${iso(T0)}#1`]));
  });
});

async function waitUntil(check: () => Promise<boolean>) {
  for (let attempt = 0; !(await check()); attempt++) {
    if (attempt > 200) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
