// Live sales windows (domain/sales-windows.ts has the rules): a consumer of `orders.events` in the
// group `insights-live-sales` that adds each paid order to its event-time window in DynamoDB, and
// a closer that, every tenth of a window (at most a second), closes the windows the watermark has passed and
// publishes each closed window (and each later change: late events) on `insights.sales-windows`.
//
// Nothing that matters is only in memory: a window's figures are written (idempotently, see
// data/sales-window-store.ts) before the bus commits the event, and the closer reads the windows
// to close and to publish from the store. So a restart loses nothing — the watermark starts over
// from the events that follow, or from the wall clock once the stream is idle — and any replica
// can close or publish any window (README "Live sales windows", scale-out).
import { ZodError } from 'zod';
import type { EventBus, EventEnvelope, Logger, Subscription } from '@cloudmart/runtime';
import type { ServiceMetrics } from '@cloudmart/runtime/observability';
import { orderEventPayloadSchemas } from '@cloudmart/orders/contract';
import type { SalesWindowEvent } from '../contract';
import type { OrderLines } from '../data/order-history';
import type { PendingWindow, SalesWindowStore } from '../data/sales-window-store';
import type { CategoryLookup } from '../domain/order-rows';
import { saleOf, Watermark, windowOf, type Clock } from '../domain/sales-windows';

export const LIVE_SALES_CONSUMER_GROUP = 'insights-live-sales';

export interface LiveSalesOptions {
  /** orders.events. */
  bus: EventBus;
  /** insights.sales-windows, where closed windows go. */
  publisher: Pick<EventBus<SalesWindowEvent>, 'publish'>;
  store: SalesWindowStore;
  /** A paid order's currency and lines (the orders table). */
  orderLines: (orderId: string) => Promise<OrderLines | undefined>;
  categories: CategoryLookup;
  currency: string;
  windowMs: number;
  latenessMs: number;
  /** How often the closer runs; 0: never by itself (tests call closeDue()). */
  closeEveryMs: number;
  log: Logger;
  /** Counts each late event (the metric). */
  onLate?: () => void;
  clock?: Clock;
  groupId?: string;
}

export class LiveSales {
  readonly watermark: Watermark;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  private readonly clock: Clock;
  private readonly groupId: string;

  constructor(private readonly options: LiveSalesOptions) {
    this.clock = options.clock ?? Date.now;
    this.watermark = new Watermark(options.latenessMs, this.clock);
    this.groupId = options.groupId ?? LIVE_SALES_CONSUMER_GROUP;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.subscription = await this.options.bus.subscribe(this.groupId, (event) => this.handle(event));
    if (this.options.closeEveryMs > 0) {
      this.timer = setInterval(() => void this.closeDue().catch(() => undefined), this.options.closeEveryMs);
      this.timer.unref();
    }
  }

  /** Finishes the event in hand and any close in progress, then stops. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    await this.closing;
  }

  /** One order event. Throws (the bus retries) only when a store failed. */
  async handle(event: EventEnvelope): Promise<void> {
    const at = Date.parse(event.occurredAt);
    if (event.version !== 1) {
      this.options.log.error({ eventId: event.eventId, type: event.type, version: event.version }, 'skipping an order event of an unknown version');
      return;
    }
    if (event.type === 'OrderPaid') {
      try {
        await this.countSale(event, at);
      } catch (error) {
        if (error instanceof ZodError) {
          this.options.log.error({ err: error, eventId: event.eventId }, 'skipping an OrderPaid event the live windows cannot read');
        } else {
          this.options.log.error({ err: error, eventId: event.eventId }, 'counting a sale into its live window failed');
          throw error;
        }
      }
    }
    // Every order event tells how far event time has come, sales or not.
    this.watermark.observe(at);
  }

  private async countSale(event: EventEnvelope, at: number): Promise<void> {
    const { store, windowMs } = this.options;
    const payload = orderEventPayloadSchemas.OrderPaid.parse(event.payload);
    if (payload.currency !== this.options.currency) return; // sales are in the catalog currency only
    const window = windowOf(at, windowMs);
    if (this.watermark.isLate(at, windowMs)) return this.countLate(event.eventId, window);
    const order = await this.options.orderLines(event.orderId);
    if (!order) {
      // The order is stored before its first event is published: this cannot be a real sale.
      this.options.log.error({ eventId: event.eventId, orderId: event.orderId }, 'OrderPaid for an order that is not in the orders table');
      return;
    }
    const sale = await saleOf({ eventId: event.eventId, orderId: event.orderId, at }, order.lines, this.options.categories, windowMs);
    const result = await store.addSale(sale);
    // Closed already (by another replica's watermark, or the wall clock): late after all.
    if (result === 'closed') await this.countLate(event.eventId, window);
  }

  private async countLate(eventId: string, window: { start: number; end: number }): Promise<void> {
    if (await this.options.store.addLate(eventId, window)) {
      this.options.onLate?.();
      this.options.log.info({ eventId, windowStart: new Date(window.start).toISOString() }, 'late sale counted, not added');
    }
  }

  /**
   * Closes the windows the watermark has passed and publishes closed windows with an unpublished
   * revision. One pass at a time; a failure is logged and the next pass tries again.
   */
  closeDue(): Promise<void> {
    this.closing ??= this.closePass().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private async closePass(): Promise<void> {
    const { store, log } = this.options;
    try {
      const pending = await store.pending();
      const open = pending.filter((window) => !window.closed);
      // The wall clock may move the watermark only when nothing is left to read (see the domain).
      const byClock = this.clock() - this.options.latenessMs;
      const clockWouldClose = open.some((window) => window.end > this.watermark.current && window.end <= byClock);
      if (clockWouldClose && this.watermark.idle) this.watermark.advanceIdle((await this.options.bus.lag(this.groupId)) === 0);
      const watermark = this.watermark.current;
      for (const window of pending) {
        if (!window.closed && window.end <= watermark) {
          const revision = await store.close(window.start);
          if (revision === undefined) continue; // closed by another replica: published by the next pass
          Object.assign(window, { closed: true, revision });
        }
        // Closed by this pass or an earlier one (of any replica), with a change not yet published.
        if (window.closed && (window.publishedRevision ?? 0) < window.revision) await this.publish(window);
      }
    } catch (error) {
      log.error({ err: error }, 'closing live sales windows failed; trying again on the next pass');
    }
  }

  /** Pushes a window's revision (the index may be a moment behind: an older one only repeats a push). */
  private async publish(window: PendingWindow): Promise<void> {
    const windowStart = new Date(window.start).toISOString();
    await this.options.publisher.publish([
      {
        eventId: `${windowStart}#${window.revision}`,
        type: window.publishedRevision === undefined ? 'SalesWindowClosed' : 'SalesWindowUpdated',
        version: 1,
        windowStart,
        windowEnd: new Date(window.end).toISOString(),
        revision: window.revision,
        occurredAt: new Date(this.clock()).toISOString(),
      },
    ]);
    await this.options.store.markPublished(window.start, window.revision);
  }
}

type Registry = ServiceMetrics['registry'];

/**
 * `cloudmart_sales_late_events_total`: sale events that arrived after their window closed, on the
 * service's /metrics. A counter of prom-client's own shape on the service's registry (the runtime
 * owns prom-client; this package does not depend on it).
 */
export function lateEventsCounter(registry: Registry): () => void {
  const name = 'cloudmart_sales_late_events_total';
  const help = 'Paid orders that arrived after their live sales window had closed: counted, not added.';
  let value = 0;
  const metric = {
    name,
    help,
    type: 'counter',
    aggregator: 'sum',
    get: async () => ({ name, help, type: 'counter', aggregator: 'sum', values: [{ value, labels: {} }] }),
    reset: () => {
      value = 0;
    },
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return () => {
    value += 1;
  };
}
