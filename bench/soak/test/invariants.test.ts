// The soak's invariant checks on small, hand-made runs: each holds on a consistent run and reports
// a planted violation, so a green soak report means the checks ran, not that they cannot fail.
import {
  checkErrors,
  checkMemory,
  checkPayments,
  checkPendingPayment,
  checkStock,
  checkSubscribers,
  checkWarehouse,
  perMinuteFloor,
  slopeMiBPerMinute,
  type OrderRecord,
} from '../invariants';
import type { LoadReport, Sample } from '../samples';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, seconds)).toISOString();
const order = (id: string, status: string, statuses: string[], lines = [{ productId: 'p1', quantity: 2 }], total = 2_000): OrderRecord => ({
  id,
  userId: 'u1',
  status,
  total,
  lines,
  events: statuses.map((s, index) => ({ status: s, at: at(index * 5) })),
});

describe('soak invariants', () => {
  const paid = order('o1', 'PAID', ['PENDING_PAYMENT', 'PAID']);
  const failed = order('o2', 'PAYMENT_FAILED', ['PENDING_PAYMENT', 'PAYMENT_FAILED'], [{ productId: 'p1', quantity: 1 }]);

  it('stock: held units and stock add up to the start; an oversell or a lost reservation is reported', () => {
    expect(checkStock([{ id: 'p1', stock: 8 }], 10, [paid, failed])).toEqual([]);
    expect(checkStock([{ id: 'p1', stock: 9 }], 10, [paid, failed])).toHaveLength(1); // a unit appeared
    expect(checkStock([{ id: 'p1', stock: -1 }], 1, [paid])).toEqual(['product p1: stock -1 is below zero (oversold)']); // sold past zero, the units accounted for
    expect(checkStock([{ id: 'p1', stock: -1 }], 3, [paid])).toHaveLength(2); // and two units lost too
  });

  it('payments: one authorised payment per paid order with its ledger; a failed order holds nothing', () => {
    const payments = [{ orderId: 'o1', id: 'pay1', status: 'AUTHORIZED', amount: 2_000 }];
    const ledger = [{ paymentId: 'pay1', entry: 'AUTHORIZED', orderId: 'o1', amount: 2_000 }];
    expect(checkPayments([paid, failed], payments, ledger)).toEqual([]);
    expect(checkPayments([paid], [...payments, { ...payments[0]!, id: 'pay2' }], ledger)[0]).toMatch(/2 payments/);
    expect(checkPayments([paid], payments, [...ledger, ledger[0]!])[0]).toMatch(/2 AUTHORIZED ledger entries/);
    expect(checkPayments([failed], [{ orderId: 'o2', id: 'pay3', status: 'AUTHORIZED', amount: 1_000 }], [])[0]).toMatch(/still holds/);
  });

  it('pending payment: none left, none longer than the window', () => {
    expect(checkPendingPayment([paid], 60_000)).toEqual({ violations: [], longestMs: 5_000 });
    expect(checkPendingPayment([order('o3', 'PENDING_PAYMENT', ['PENDING_PAYMENT'])], 60_000).violations).toHaveLength(1);
    expect(checkPendingPayment([paid], 1_000).violations[0]).toMatch(/sat PENDING_PAYMENT for 5 s/);
  });

  it('warehouse: each order once, with its total and statuses', () => {
    const row = { orderId: 'o1', total: 2_000, statuses: ['PAID', 'PENDING_PAYMENT'] };
    expect(checkWarehouse([paid], [row])).toEqual([]);
    expect(checkWarehouse([paid], [])[0]).toMatch(/0 rows/);
    expect(checkWarehouse([paid], [{ ...row, statuses: ['PENDING_PAYMENT'] }])[0]).toMatch(/statuses/);
    expect(checkWarehouse([paid], [row, { ...row, orderId: 'elsewhere' }])[0]).toMatch(/not in DynamoDB/);
  });

  it('subscribers: each paid order seen PAID, by event or by the snapshot after a reconnect', () => {
    const report = (seen: LoadReport['shoppers'][number]['seen']): LoadReport => ({
      offered: 0,
      sent: 0,
      shed: 0,
      subscriptionErrors: 0,
      shoppers: [{ id: 'u1', orders: ['o1'], seen, connections: 2, connected: [] }],
    });
    expect(checkSubscribers([paid], report({ o1: [{ status: 'PAID', via: 'event', t: 1 }] }))).toEqual({ violations: [], viaEvent: 1, viaSnapshot: 0 });
    expect(checkSubscribers([paid], report({ o1: [{ status: 'PAID', via: 'snapshot', t: 1 }] })).viaSnapshot).toBe(1);
    expect(checkSubscribers([paid], report({ o1: [{ status: 'PENDING_PAYMENT', via: 'event', t: 1 }] })).violations).toHaveLength(1);
  });

  it('errors: none outside the fault windows; coded and with the rest of the data inside them', () => {
    const sample = (t: number, status: Sample['status'], codes: string[], extra: Partial<Sample> = {}): Sample => ({
      t,
      op: 'ProductPage',
      ms: 10,
      status,
      codes,
      dataNull: false,
      unavailableOnlyBelowRoot: false,
      gateway: 0,
      ...extra,
    });
    const windows = [{ name: 'SIGKILL products', from: 100, to: 200 }];
    expect(checkErrors([sample(50, 200, []), sample(150, 200, ['SUBGRAPH_UNAVAILABLE']), sample(160, 'transport', [])], windows)).toEqual([]);
    expect(checkErrors([sample(250, 500, [])], windows)[0]).toMatch(/outside the fault windows: ProductPage answered 500/);
    // Sent just before the fault, answered inside it: the fault's.
    expect(checkErrors([sample(95, 200, ['SUBGRAPH_UNAVAILABLE'], { ms: 20 })], windows)).toEqual([]);
    expect(checkErrors([sample(150, 200, ['INTERNAL_SERVER_ERROR'])], windows)[0]).toMatch(/during SIGKILL products/);
    expect(checkErrors([sample(150, 200, ['SUBGRAPH_UNAVAILABLE'], { unavailableOnlyBelowRoot: true, dataNull: true })], windows)[0]).toMatch(/lost all its data/);
  });

  it('memory: a flat, a released or a settling process passes; a steady leak is reported', () => {
    // Ten minutes of samples every 5 s, shaped as RSS is: it steps up as the heap grows, V8
    // seldom gives pages back, and a collection now and then drops it.
    const minutes = 10;
    const series = (megabytes: (minute: number) => number) =>
      Array.from({ length: minutes * 12 }, (_, i): [number, number] => [i * 5_000, megabytes(i / 12) * 2 ** 20]);
    const flat = series(() => 100);
    const released = series((minute) => (minute >= 6 && minute < 7 ? 80 : 100)); // pages given back for a while
    const leaking = series((minute) => 100 + minute * 3); // +3 MiB every minute, to the end
    const settling = series((minute) => 100 + Math.min(minute, 7) * 10); // +10 MiB/min until minute 7, then flat
    expect(perMinuteFloor(flat).map(([, bytes]) => bytes / 2 ** 20)).toEqual(Array(minutes).fill(100));
    expect(slopeMiBPerMinute(perMinuteFloor(leaking))).toBeCloseTo(3, 5);
    const result = checkMemory(
      [
        { name: 'flat', points: flat },
        { name: 'released', points: released },
        { name: 'leaking', points: leaking },
        { name: 'settling', points: settling },
        { name: 'restarted late', points: flat.slice(-30) },
      ],
      0,
      2,
    );
    expect(result.violations).toEqual([expect.stringMatching(/^leaking: still growing at the end/)]);
    expect(result.slopes.settling!.secondHalf).toBeGreaterThan(2); // it grew…
    expect(result.slopes.settling!.tail).toBeCloseTo(0, 5); // …and stopped
    expect(result.slopes['restarted late']).toBeNull();
    expect(result.slopes.flat).toEqual({ secondHalf: 0, tail: 0 });
  });

  it('memory: a Node service is judged by what remains after full collections, not by the phase of its saw-tooth', () => {
    // RSS climbing 40 MiB/min between collections that come every 4 minutes: the second half ends
    // on a rising tooth, so the floor-and-tail rule alone would call it growing.
    const minutes = 10;
    const sawTooth: [number, number][] = Array.from({ length: minutes * 12 }, (_, i) => [i * 5_000, (200 + ((i / 12 + 2) % 4) * 40) * 2 ** 20]);
    const collections = (megabytes: (minute: number) => number): [number, number][] =>
      Array.from({ length: minutes * 2 }, (_, i) => [i * 30_000 + 1_000, megabytes(i / 2) * 2 ** 20]);
    const secondHalf = 5 * 60_000;
    expect(checkMemory([{ name: 'gateway', points: sawTooth }], secondHalf, 2).violations).toHaveLength(1);
    const steady = checkMemory([{ name: 'gateway', points: sawTooth }], secondHalf, 2, [
      { name: 'gateway', rss: collections(() => 180), heap: collections(() => 60) },
    ]);
    expect(steady.violations).toEqual([]);
    expect(steady.slopes.gateway!.afterCollection).toEqual({ rss: 0, heap: 0 });
    const leaking = checkMemory([{ name: 'gateway', points: sawTooth }], secondHalf, 2, [
      { name: 'gateway', rss: collections((minute) => 180 + minute * 3), heap: collections((minute) => 60 + minute * 3) },
    ]);
    expect(leaking.violations).toEqual([expect.stringMatching(/^gateway: its memory after a full collection rose 3\.00 MiB\/min/)]);
    // Too few collections in the judged span (a late restart): the floor-and-tail rule applies.
    const few = checkMemory([{ name: 'gateway', points: sawTooth }], secondHalf, 2, [
      { name: 'gateway', rss: collections(() => 180).slice(-3), heap: collections(() => 60).slice(-3) },
    ]);
    expect(few.violations).toHaveLength(1);
    expect(few.slopes.gateway!.afterCollection).toBeUndefined();
  });
});
