// Publishes the outbox's events to the event bus, at least once and in order per order id.
//
// Each tick reads the oldest unsent events of every shard of the outbox's sparse `unsent` index
// (an order's events all sit in its order id's shard, so reading a shard oldest first keeps each
// order's sequence; shards are relayed concurrently and independently), publishes them, and only
// then marks them sent. A crash between the two publishes them again on restart
// (consumers dedupe on eventId); a failed publish (broker outage) marks nothing, so the events
// wait in the outbox and the next tick, after a growing backoff, tries again. Payment outcomes
// (OrderPaid, PaymentDeclined, OrderRefunded) are written to this same outbox by the orders
// subgraph; the payments subgraph has no outbox of its own.
//
// Several replicas may relay at once: each publishes an order's pending events in order, so the
// first delivery of every event still follows the order's sequence; the cost is duplicates.
import type { EventBus, EventEnvelope, Logger } from '@cloudmart/runtime';
import type { OutboxStore, UnsentEvent } from '../data/outbox-store';

export interface OutboxRelayOptions {
  /** Pause after a tick that published events but left no full batch behind. */
  intervalMs?: number;
  /**
   * Longest pause while the outbox stays empty: the pause doubles from intervalMs after each empty
   * tick up to this. Each tick reads every shard of the index (17 queries), so an idle replica
   * polling every intervalMs would spend ~34 reads a second on nothing. This replica's own writes
   * nudge it at once, so the bound is on how soon it sees events it did not write (another
   * replica's, left behind by a crash between its write and its relay; the history seeder's).
   */
  idleMaxMs?: number;
  /** Longest pause after failures (the backoff doubles from intervalMs up to this). */
  maxBackoffMs?: number;
  /** Events read, published and marked per shard per tick. */
  batchSize?: number;
  /**
   * Told after each read of the backlog: unsent events seen (at most batchSize per shard, so a
   * full shard means "at least that many") and the age of the oldest, in seconds. Feeds the
   * outbox metrics.
   */
  onBacklog?: (events: number, oldestAgeSeconds: number) => void;
}

/** One order's events in their sequence; orders in the order their oldest event appears. */
export function inOrderPerOrder(page: readonly UnsentEvent[]): EventEnvelope[] {
  const byOrder = new Map<string, UnsentEvent[]>();
  for (const item of page) {
    const list = byOrder.get(item.event.orderId) ?? [];
    list.push(item);
    byOrder.set(item.event.orderId, list);
  }
  return [...byOrder.values()].flatMap((list) =>
    list.sort((a, b) => a.sequence.localeCompare(b.sequence)).map((item) => item.event),
  );
}

export class OutboxRelay {
  private readonly intervalMs: number;
  private readonly idleMaxMs: number;
  private readonly maxBackoffMs: number;
  private readonly batchSize: number;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private nudged = false;
  /** Whether the last tick read a full batch from some shard: more backlog waits there. */
  private backlogLeft = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.idleMaxMs = Math.max(this.intervalMs, options.idleMaxMs ?? 5_000);
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.batchSize = options.batchSize ?? 100;
  }

  /**
   * Publishes one batch of each shard's backlog, the shards at once; returns how many events it
   * published. A shard whose publish fails keeps its events (the error is thrown after the others'
   * events are marked sent).
   */
  async relayOnce(): Promise<number> {
    // Events from before sharding first, into their order's shard, ahead of its newer events there.
    while ((await this.outbox.shardUnshardedBacklog(this.batchSize)) === this.batchSize);
    const pages = await Promise.all(
      this.outbox.shards.map((shard) => this.outbox.unsent(shard, this.batchSize)),
    );
    const seen = pages.flat();
    const oldest = seen.reduce((min, item) => Math.min(min, Date.parse(item.event.occurredAt)), Date.now());
    this.options.onBacklog?.(seen.length, seen.length ? (Date.now() - oldest) / 1000 : 0);
    this.backlogLeft = pages.some((page) => page.length === this.batchSize);
    const batches = pages.filter((page) => page.length > 0).map(inOrderPerOrder);
    // First publish, then mark: at least once.
    const results = await Promise.allSettled(batches.map((events) => this.bus.publish(events)));
    const published = batches.filter((_, i) => results[i]!.status === 'fulfilled').flat();
    // One markSent for every shard: its bounded concurrency keeps a large backlog from taking
    // every socket of the DynamoDB client that checkouts share.
    await this.outbox.markSent(
      published.map((event) => event.eventId),
      new Date().toISOString(),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    return published.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Relays without waiting for the next tick: called after this replica wrote to the outbox, so
   * events reach subscribers in milliseconds; the interval remains for other replicas' writes.
   */
  nudge(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let emptyTicks = 0;
    while (this.running) {
      let published = 0;
      this.nudged = false;
      try {
        published = await this.relayOnce();
        if (failures > 0) this.log.info({ after: failures }, 'outbox relay recovered');
        failures = 0;
        emptyTicks = published > 0 ? 0 : emptyTicks + 1;
      } catch (error) {
        failures += 1;
        this.log.warn({ err: error, failures }, 'outbox relay could not publish; events wait in the outbox');
      }
      // A full batch means more backlog: go on at once. Otherwise wait: longer after failures, and
      // longer while the outbox stays empty (a nudge ends any wait).
      if ((published > 0 && this.backlogLeft) || (this.nudged && failures === 0)) continue;
      const delay =
        failures > 0
          ? Math.min(this.maxBackoffMs, this.intervalMs * 2 ** failures)
          : Math.min(this.idleMaxMs, this.intervalMs * 2 ** Math.min(emptyTicks, 16));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
