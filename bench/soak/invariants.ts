// The soak's invariants (issue 17), as pure functions over what a run collected: the stores' items
// read straight from DynamoDB and the warehouse at the end, the load's samples and subscribers'
// sightings, the fault windows and the processes' memory. Each returns its violations, worded for
// the report; an empty list means the invariant held.
import type { LoadReport, Sample } from './samples';

export interface OrderRecord {
  id: string;
  userId: string;
  status: string;
  total: number;
  lines: { productId: string; quantity: number }[];
  events: { status: string; at: string }[];
}

export interface PaymentRecord {
  orderId: string;
  id: string;
  status: string;
  amount: number;
}

export interface LedgerRecord {
  paymentId: string;
  entry: string;
  orderId: string;
  amount: number;
}

export interface WarehouseOrder {
  orderId: string;
  total: number;
  statuses: string[];
}

/** A fault's window: from the fault to its recovery (the killed process ready again) plus a settling time. */
export interface FaultWindow {
  name: string;
  from: number;
  to: number;
}

export interface RssSeries {
  name: string;
  /** [epoch ms, bytes], since the process's last start. */
  points: [number, number][];
}

/** Statuses in which an order holds its units of stock (orders' domain/order-status.ts). */
export const STOCK_HOLDING = new Set(['PENDING_PAYMENT', 'PAID', 'FULFILLING']);
/** Statuses an order reaches only through PAID. */
export const PAID_OR_LATER = new Set(['PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'REFUNDED']);

/** Each soak product's starting stock = its stock now + the units its stock-holding orders hold; never below 0. */
export function checkStock(
  products: { id: string; stock: number }[],
  startingStock: number,
  orders: OrderRecord[],
): string[] {
  const held = new Map<string, number>();
  for (const order of orders) {
    if (!STOCK_HOLDING.has(order.status)) continue;
    for (const line of order.lines) held.set(line.productId, (held.get(line.productId) ?? 0) + line.quantity);
  }
  const violations: string[] = [];
  for (const product of products) {
    const units = held.get(product.id) ?? 0;
    if (product.stock < 0) violations.push(`product ${product.id}: stock ${product.stock} is below zero (oversold)`);
    if (product.stock + units !== startingStock) {
      violations.push(
        `product ${product.id}: started with ${startingStock}, now ${product.stock} + ${units} held by orders = ${product.stock + units}`,
      );
    }
  }
  return violations;
}

/**
 * Every order that was paid has exactly one payment, authorised (or captured, or refunded later)
 * for its total, and one ledger entry per payment state with the payment's amount; an order whose
 * payment failed holds no authorisation.
 */
export function checkPayments(orders: OrderRecord[], payments: PaymentRecord[], ledger: LedgerRecord[]): string[] {
  const violations: string[] = [];
  const paymentsOf = new Map<string, PaymentRecord[]>();
  for (const payment of payments) paymentsOf.set(payment.orderId, [...(paymentsOf.get(payment.orderId) ?? []), payment]);
  const entriesOf = new Map<string, LedgerRecord[]>();
  for (const entry of ledger) entriesOf.set(entry.paymentId, [...(entriesOf.get(entry.paymentId) ?? []), entry]);
  for (const order of orders) {
    const found = paymentsOf.get(order.id) ?? [];
    const wasPaid = order.events.some((event) => event.status === 'PAID');
    if (wasPaid) {
      if (found.length !== 1) {
        violations.push(`order ${order.id} (${order.status}) was paid but has ${found.length} payments`);
        continue;
      }
      const payment = found[0]!;
      if (!['AUTHORIZED', 'CAPTURED', 'REFUNDED'].includes(payment.status)) {
        violations.push(`order ${order.id} was paid but its payment is ${payment.status}`);
      }
      if (payment.amount !== order.total) {
        violations.push(`order ${order.id}: total ${order.total}, payment ${payment.amount}`);
      }
      const entries = entriesOf.get(payment.id) ?? [];
      const authorised = entries.filter((entry) => entry.entry === 'AUTHORIZED');
      if (authorised.length !== 1) violations.push(`payment ${payment.id} of order ${order.id} has ${authorised.length} AUTHORIZED ledger entries`);
      for (const entry of entries) {
        if (entry.amount !== payment.amount) {
          violations.push(`payment ${payment.id}: ledger ${entry.entry} of ${entry.amount}, payment of ${payment.amount}`);
        }
      }
    } else if (order.status === 'PAYMENT_FAILED') {
      const holding = found.filter((payment) => payment.status === 'AUTHORIZED' || payment.status === 'CAPTURED');
      if (holding.length > 0) violations.push(`order ${order.id} failed payment but a payment still holds ${holding[0]!.amount}`);
    }
  }
  return violations;
}

/**
 * No order is left PENDING_PAYMENT, and none stayed there longer than `windowMs` (the sweeper's
 * give-up time plus one sweep): read from each order's own events.
 */
export function checkPendingPayment(orders: OrderRecord[], windowMs: number): { violations: string[]; longestMs: number } {
  const violations: string[] = [];
  let longestMs = 0;
  for (const order of orders) {
    if (order.status === 'PENDING_PAYMENT') violations.push(`order ${order.id} is still PENDING_PAYMENT`);
    const placed = order.events.find((event) => event.status === 'PENDING_PAYMENT');
    const next = order.events.find((event) => event.status !== 'PENDING_PAYMENT');
    if (!placed || !next) continue;
    const pendingMs = Date.parse(next.at) - Date.parse(placed.at);
    longestMs = Math.max(longestMs, pendingMs);
    if (pendingMs > windowMs) violations.push(`order ${order.id} sat PENDING_PAYMENT for ${Math.round(pendingMs / 1000)} s`);
  }
  return { violations, longestMs };
}

/** Every order reached the warehouse once, with its total and one row per status it went through. */
export function checkWarehouse(orders: OrderRecord[], warehouse: WarehouseOrder[]): string[] {
  const violations: string[] = [];
  const rows = new Map<string, WarehouseOrder[]>();
  for (const row of warehouse) rows.set(row.orderId, [...(rows.get(row.orderId) ?? []), row]);
  for (const order of orders) {
    const found = rows.get(order.id) ?? [];
    if (found.length !== 1) {
      violations.push(`order ${order.id}: ${found.length} rows in the warehouse`);
      continue;
    }
    const row = found[0]!;
    if (row.total !== order.total) violations.push(`order ${order.id}: total ${order.total}, warehouse ${row.total}`);
    const expected = [...new Set(order.events.map((event) => event.status))].sort();
    const loaded = [...row.statuses].sort();
    if (JSON.stringify(expected) !== JSON.stringify(loaded)) {
      violations.push(`order ${order.id}: statuses ${expected.join(',')}, warehouse ${loaded.join(',')}`);
    }
  }
  const known = new Set(orders.map((order) => order.id));
  const extra = warehouse.filter((row) => !known.has(row.orderId));
  if (extra.length > 0) violations.push(`${extra.length} warehouse orders of the run's shoppers are not in DynamoDB (e.g. ${extra[0]!.orderId})`);
  return violations;
}

/** Each subscriber saw PAID for every paid order of its shopper: by event, or in the snapshot after a reconnect. */
export function checkSubscribers(orders: OrderRecord[], load: LoadReport): { violations: string[]; viaSnapshot: number; viaEvent: number } {
  const violations: string[] = [];
  const shoppers = new Map(load.shoppers.map((shopper) => [shopper.id, shopper]));
  let viaSnapshot = 0;
  let viaEvent = 0;
  for (const order of orders) {
    if (!order.events.some((event) => event.status === 'PAID')) continue;
    const shopper = shoppers.get(order.userId);
    if (!shopper) continue; // an order of a shopper without a subscriber
    const sightings = (shopper.seen[order.id] ?? []).filter((seen) => PAID_OR_LATER.has(seen.status));
    if (sightings.length === 0) {
      violations.push(`shopper ${order.userId}'s subscriber never saw order ${order.id} PAID`);
    } else if (sightings.some((seen) => seen.via === 'event')) viaEvent += 1;
    else viaSnapshot += 1;
  }
  return { violations, viaSnapshot, viaEvent };
}

const SERVER_SIDE = (sample: Sample) =>
  sample.status === 'transport' || sample.status === 'timeout' || (typeof sample.status === 'number' && sample.status >= 500);

/**
 * Outside the fault windows: no 5xx, no failed transport, no INTERNAL_SERVER_ERROR, no error without
 * a code. Inside them: every error has a code (never INTERNAL_SERVER_ERROR), and a response whose
 * only errors are SUBGRAPH_UNAVAILABLE below a root field still has its data.
 */
export function checkErrors(samples: Sample[], windows: FaultWindow[]): string[] {
  // A request in flight when a fault began belongs to it: its span, sent to answered, overlaps the
  // window. Where windows overlap, the latest fault is named.
  const inWindow = (sample: Sample) =>
    windows
      .filter((window) => sample.t <= window.to && sample.t + sample.ms >= window.from)
      .sort((a, b) => b.from - a.from)[0];
  const violations = new Map<string, { count: number; example: Sample }>();
  const note = (kind: string, sample: Sample) => {
    const entry = violations.get(kind);
    if (entry) entry.count += 1;
    else violations.set(kind, { count: 1, example: sample });
  };
  for (const sample of samples) {
    const window = inWindow(sample);
    const uncoded = sample.codes.includes('(none)');
    const internal = sample.codes.includes('INTERNAL_SERVER_ERROR');
    if (!window) {
      if (SERVER_SIDE(sample)) note(`outside the fault windows: ${sample.op} answered ${sample.status}`, sample);
      if (internal) note(`outside the fault windows: ${sample.op} got INTERNAL_SERVER_ERROR`, sample);
      if (uncoded) note(`outside the fault windows: ${sample.op} got an error without a code`, sample);
      if (sample.codes.includes('SUBGRAPH_UNAVAILABLE')) note(`outside the fault windows: ${sample.op} got SUBGRAPH_UNAVAILABLE`, sample);
    } else {
      if (internal) note(`during ${window.name}: ${sample.op} got INTERNAL_SERVER_ERROR`, sample);
      if (uncoded) note(`during ${window.name}: ${sample.op} got an error without a code`, sample);
      if (sample.unavailableOnlyBelowRoot && sample.dataNull) note(`during ${window.name}: ${sample.op} lost all its data to a field below the root`, sample);
    }
  }
  return [...violations].map(
    ([kind, { count, example }]) => `${kind} (${count}×; e.g. at ${new Date(example.t).toISOString()}: ${example.status} ${example.codes.join(',')})`,
  );
}

/** Least-squares slope of memory over time, in MiB per minute. */
export function slopeMiBPerMinute(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const xs = points.map(([t]) => t / 60_000);
  const ys = points.map(([, bytes]) => bytes / 2 ** 20);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < xs.length; i++) {
    numerator += (xs[i]! - meanX) * (ys[i]! - meanY);
    denominator += (xs[i]! - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * The lowest sample of each minute: a garbage-collected process's memory saw-tooths between
 * collections, and what it keeps (a leak) shows in the floor the teeth rise from.
 */
export function perMinuteFloor(points: [number, number][]): [number, number][] {
  const floors = new Map<number, [number, number]>();
  for (const point of points) {
    const minute = Math.floor(point[0] / 60_000);
    const floor = floors.get(minute);
    if (!floor || point[1] < floor[1]) floors.set(minute, point);
  }
  return [...floors.values()].sort((a, b) => a[0] - b[0]);
}

export interface MemorySlopes {
  /** Least-squares slope of the per-minute floor over the judged second half, MiB/min. */
  secondHalf: number;
  /** Least-squares slope of every sample of the run's last `tailMs`, MiB/min. */
  tail: number;
  /** Least-squares slopes of RSS and of the V8 heap right after forced full collections, MiB/min. */
  afterCollection?: { rss: number; heap: number };
}

/** A Node service's memory right after each forced full collection (./heap.ts), since its last start. */
export interface AfterCollectionSeries {
  name: string;
  /** [epoch ms, bytes] of RSS right after each collection. */
  rss: [number, number][];
  /** [epoch ms, bytes] of the V8 heap in use right after each collection. */
  heap: [number, number][];
}

/**
 * No process's memory keeps growing over the run's second half (fault-free: the schedule ends
 * before it), judged from a minute after a process last started (caches and JIT fill then).
 *
 * A Node service is judged by its RSS right after forced full collections (`afterCollection`,
 * at least `minCollections` of them in the judged span): what remains then is what it holds, and a
 * leak raises it; RSS sampled on its own follows V8's saw-tooth, whose period under load is as
 * long as the judged span of a ten-minute run, so its slope there says more about the phase of
 * the teeth than about a leak. It keeps growing when that slope exceeds `boundMiBPerMinute`.
 *
 * Any other process (the JVM of DynamoDB Local, the broker), or a Node service without enough
 * collections: it keeps growing when it is still rising at the end — both the slope of its
 * per-minute floor over the judged half and the slope of its samples over the last `tailMs`
 * exceed the bound. A process with fewer than `minMinutes` judged minutes is reported, not judged.
 */
export function checkMemory(
  series: RssSeries[],
  secondHalfFrom: number,
  boundMiBPerMinute: number,
  afterCollection: AfterCollectionSeries[] = [],
  { minMinutes = 3, warmUpMs = 60_000, tailMs = 120_000, minCollections = 5 } = {},
): { violations: string[]; slopes: Record<string, MemorySlopes | null> } {
  const violations: string[] = [];
  const slopes: Record<string, MemorySlopes | null> = {};
  for (const { name, points } of series) {
    const startedAt = points[0]?.[0] ?? 0;
    const inJudgedSpan = ([t]: [number, number]) => t >= secondHalfFrom && t >= startedAt + warmUpMs;
    const judged = points.filter(inJudgedSpan);
    const floor = perMinuteFloor(judged);
    if (floor.length < minMinutes) {
      slopes[name] = null;
      continue;
    }
    const end = judged[judged.length - 1]![0];
    const measured: MemorySlopes = {
      secondHalf: slopeMiBPerMinute(floor),
      tail: slopeMiBPerMinute(judged.filter(([t]) => t >= end - tailMs)),
    };
    const collected = afterCollection.find((entry) => entry.name === name);
    const collectedRss = collected?.rss.filter(inJudgedSpan) ?? [];
    if (collectedRss.length >= minCollections) {
      measured.afterCollection = {
        rss: slopeMiBPerMinute(collectedRss),
        heap: slopeMiBPerMinute(collected!.heap.filter(inJudgedSpan)),
      };
      if (measured.afterCollection.rss > boundMiBPerMinute) {
        violations.push(
          `${name}: its memory after a full collection rose ${measured.afterCollection.rss.toFixed(2)} MiB/min over the second half (heap ${measured.afterCollection.heap.toFixed(2)} MiB/min; bound ${boundMiBPerMinute})`,
        );
      }
    } else if (measured.secondHalf > boundMiBPerMinute && measured.tail > boundMiBPerMinute) {
      violations.push(
        `${name}: still growing at the end — its memory floor rose ${measured.secondHalf.toFixed(2)} MiB/min over the second half and ${measured.tail.toFixed(2)} MiB/min over the last ${tailMs / 60_000} min (bound ${boundMiBPerMinute})`,
      );
    }
    slopes[name] = measured;
  }
  return { violations, slopes };
}
