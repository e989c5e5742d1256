// How often the outbox relay reads the outbox: every tick queries each shard of the unsent index,
// so an idle relay slows down (up to idleMaxMs), a nudge (this replica wrote) relays at once, and
// events another replica left behind are still found within idleMaxMs. Timers are jest's fake
// ones: the test reads the relay's schedule, not the machine's speed.
import { createLogger, InProcessEventBus, type EventEnvelope } from '@cloudmart/runtime';
import type { OutboxStore, UnsentEvent } from '../src/data/outbox-store';
import { OutboxRelay } from '../src/workers/outbox-relay';

/** An outbox in memory with two shards, counting the ticks that read it. */
function memoryOutbox() {
  const pending: UnsentEvent[] = [];
  const outbox = {
    ticks: 0,
    shards: ['unsent#0', 'unsent#1'],
    async shardUnshardedBacklog() {
      outbox.ticks += 1;
      return 0;
    },
    async unsent(shard: string, limit: number) {
      return shard === 'unsent#0' ? pending.slice(0, limit) : [];
    },
    async markSent(eventIds: readonly string[]) {
      for (const id of eventIds) pending.splice(pending.findIndex((item) => item.event.eventId === id), 1);
    },
    add(orderId: string) {
      const event = { eventId: `${orderId}-placed`, orderId, type: 'OrderPlaced', version: 1, occurredAt: new Date().toISOString() };
      pending.push({ event: event as unknown as EventEnvelope, sequence: '1' });
    },
  };
  return outbox;
}

describe('outbox relay pacing', () => {
  let relay: OutboxRelay;
  let outbox: ReturnType<typeof memoryOutbox>;
  let published: string[];

  beforeEach(async () => {
    jest.useFakeTimers();
    outbox = memoryOutbox();
    const bus = new InProcessEventBus();
    published = [];
    await bus.subscribe('pacing-test', async (event) => void published.push(event.orderId));
    relay = new OutboxRelay(outbox as unknown as OutboxStore, bus, createLogger('pacing-test', 'silent'), { intervalMs: 500, idleMaxMs: 5_000 });
    relay.start();
  });

  afterEach(async () => {
    const stopped = relay.stop();
    await jest.runOnlyPendingTimersAsync();
    await stopped;
    jest.useRealTimers();
  });

  it('reads an empty outbox less and less often, and at least every idleMaxMs', async () => {
    await jest.advanceTimersByTimeAsync(60_000);
    // 500 ms apart this would be 121 ticks; at 0, 1, 3 and 7 s, then every 5 s, it is 14.
    expect(outbox.ticks).toBe(14);
    const before = outbox.ticks;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(outbox.ticks).toBe(before + 1);
  });

  it('relays at once when nudged, however long it has been idle', async () => {
    await jest.advanceTimersByTimeAsync(30_000);
    outbox.add('order-nudged');
    relay.nudge();
    await jest.advanceTimersByTimeAsync(0);
    expect(published).toEqual(['order-nudged']);
  });

  it('finds events it was not told about within idleMaxMs, then reads at the busy pace again', async () => {
    await jest.advanceTimersByTimeAsync(30_000);
    outbox.add('order-from-another-replica');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(published).toEqual(['order-from-another-replica']);
    // The tick after one that published comes intervalMs later.
    const ticks = outbox.ticks;
    await jest.advanceTimersByTimeAsync(500);
    expect(outbox.ticks).toBe(ticks + 1);
  });
});
