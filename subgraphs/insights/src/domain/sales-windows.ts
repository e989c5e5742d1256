// Live sales windows: 1-minute (SALES_WINDOW_MS) tumbling windows on EVENT time, what a Flink job
// with an event-time watermark and allowed lateness does. This module is the pure part — which
// window an instant falls in, the watermark, what one paid order adds — so it is tested without a
// store; the consumer, the closer and the store are in workers/live-sales.ts and
// data/sales-window-store.ts. The rules (README "Live sales windows"):
//
// - A sale is an `OrderPaid` event: money was taken at that moment, so it is the event whose time
//   is the sale's time. OrderPlaced would also count orders whose payment is then declined. Its
//   payload has no items, so the order's lines are read from the orders table (the source of
//   truth, stored before any of its events was published), not remembered from OrderPlaced: that
//   survives restarts and a partition moving to another replica.
// - Revenue is the order's merchandise (Σ quantity × unitPrice of its lines, integer minor units
//   of the catalog currency), split by category; tax and shipping belong to no category. Refunds
//   and cancellations later do not reach back into a closed window (salesSummary is the net view).
// - The watermark is the largest event time seen minus the allowed lateness (SALES_ALLOWED_LATENESS_MS).
//   A window [start, end) closes once the watermark reaches its end; an event whose window's end
//   is at or below the watermark when it arrives is LATE: counted against its window
//   (`lateEvents`) and in a metric, never added to the figures.
// - Idle close: on a quiet shop no event moves the watermark, and the last window would never
//   close. So when no event has arrived for the allowed lateness (wall clock) and the consumer has
//   nothing left to read, the watermark moves to now − lateness: an event arriving later than that
//   is late by the same rule as above.
import type { CategoryLookup } from './order-rows';
import { UNKNOWN_CATEGORY } from './order-rows';

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

/** The tumbling window of `lengthMs` that holds `at` (windows are aligned on the epoch). */
export function windowOf(at: number, lengthMs: number): TimeWindow {
  const start = Math.floor(at / lengthMs) * lengthMs;
  return { start, end: start + lengthMs };
}

export type Clock = () => number;

/**
 * One consumer's watermark: it only moves forward. Event time moves it; the wall clock only when
 * the stream is idle (see the top). Not shared between replicas: each has its own (README, scale-out).
 */
export class Watermark {
  private value = -Infinity;
  private lastEventAt: number;

  constructor(
    private readonly latenessMs: number,
    private readonly clock: Clock = Date.now,
  ) {
    this.lastEventAt = clock();
  }

  /** Epoch ms; windows that end at or before it are closed. */
  get current(): number {
    return this.value;
  }

  /** Records an event's time (after deciding whether the event itself is late). */
  observe(eventTime: number): void {
    this.value = Math.max(this.value, eventTime - this.latenessMs);
    this.lastEventAt = this.clock();
  }

  /** True when no event has arrived for the allowed lateness: the wall clock may move the watermark. */
  get idle(): boolean {
    return this.clock() - this.lastEventAt >= this.latenessMs;
  }

  /**
   * Idle, and with nothing left to read (`caughtUp`, the consumer group's lag is 0): the watermark
   * moves to the wall clock minus the allowed lateness. Returns the watermark.
   */
  advanceIdle(caughtUp: boolean): number {
    if (caughtUp && this.idle) this.value = Math.max(this.value, this.clock() - this.latenessMs);
    return this.value;
  }

  /** Whether an event at `eventTime` arrives too late for its window (`lengthMs` long). */
  isLate(eventTime: number, lengthMs: number): boolean {
    return windowOf(eventTime, lengthMs).end <= this.value;
  }
}

export interface CategoryFigures {
  category: string;
  units: number;
  /** Minor units of the catalog currency. */
  revenue: number;
}

/** What one paid order adds to its window: one order, and its units and revenue per category. */
export interface Sale {
  eventId: string;
  orderId: string;
  /** Epoch ms: the OrderPaid event's occurredAt. */
  at: number;
  window: TimeWindow;
  units: number;
  revenue: number;
  /** One row per category the order has lines in (each counts the order once). */
  categories: CategoryFigures[];
}

export interface SaleLine {
  productId: string;
  quantity: number;
  unitPrice: number;
}

/** The sale a paid order makes, its lines grouped by their products' categories. */
export async function saleOf(
  event: { eventId: string; orderId: string; at: number },
  lines: readonly SaleLine[],
  categories: CategoryLookup,
  windowMs: number,
): Promise<Sale> {
  const byProduct = await categories([...new Set(lines.map((line) => line.productId))]);
  const byCategory = new Map<string, CategoryFigures>();
  for (const line of lines) {
    const category = byProduct.get(line.productId) ?? UNKNOWN_CATEGORY;
    const figures = byCategory.get(category) ?? { category, units: 0, revenue: 0 };
    figures.units += line.quantity;
    figures.revenue += line.quantity * line.unitPrice;
    byCategory.set(category, figures);
  }
  const rows = [...byCategory.values()].sort((a, b) => a.category.localeCompare(b.category));
  return {
    ...event,
    window: windowOf(event.at, windowMs),
    units: rows.reduce((sum, row) => sum + row.units, 0),
    revenue: rows.reduce((sum, row) => sum + row.revenue, 0),
    categories: rows,
  };
}

/** A window as stored and served: its totals, per category, and the late events counted against it. */
export interface SalesWindow {
  start: number;
  end: number;
  closed: boolean;
  orders: number;
  units: number;
  revenue: number;
  lateEvents: number;
  /** Highest revenue first. */
  categories: (CategoryFigures & { orders: number })[];
}
