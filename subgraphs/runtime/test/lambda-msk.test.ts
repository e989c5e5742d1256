// The MSK event source mapping's handler over an EventHandler, on events in AWS's documented shape
// (records by "<topic>-<partition>", base64 values): every partition's records reach the handler
// in offset order; a record that cannot be read is reported alone and its partition goes on; a
// handler failure stops its partition there and names it as the resume point, and the redelivery
// from that point completes the partition in order; partitions run concurrently, a bounded number
// at a time.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, orderEventsTopic, type EventEnvelope } from '@cloudmart/runtime';
import { mskEventHandler, type MskEvent, type MskRecord } from '@cloudmart/runtime/lambda';
import { mskEvent, mskRecord } from '@cloudmart/test-kit';

const TOPIC = orderEventsTopic.name;
const log = createLogger('lambda-msk-test', 'silent');

function envelope(orderId: string, type: string): EventEnvelope {
  return {
    eventId: randomUUID(),
    type,
    version: 1,
    orderId,
    userId: 'u-1',
    occurredAt: new Date('2026-12-01T10:00:00Z').toISOString(),
    payload: {},
  };
}

const record = (partition: number, offset: number, value: EventEnvelope | string) => mskRecord(TOPIC, partition, offset, value);

/** Three partitions of four events each (offsets 10..13), one order per partition. */
function threePartitions() {
  const events = new Map<number, EventEnvelope[]>();
  const records: MskRecord[] = [];
  for (const partition of [0, 1, 2]) {
    const orderId = `order-${partition}`;
    const partitionEvents = ['OrderPlaced', 'OrderPaid', 'OrderStatusChanged', 'OrderStatusChanged'].map((type) =>
      envelope(orderId, type),
    );
    events.set(partition, partitionEvents);
    // Delivered out of order within the partition: the handler still sees them by offset.
    records.push(...partitionEvents.map((event, i) => record(partition, 10 + i, event)).reverse());
  }
  return { events, records };
}

/** A handler that keeps what it handled, by order id, in the order it handled it. */
function recordingHandler(fail?: (event: EventEnvelope) => boolean) {
  const handled = new Map<string, string[]>();
  const attempted: string[] = [];
  const handle = async (event: EventEnvelope) => {
    attempted.push(event.eventId);
    if (fail?.(event)) throw new Error('the warehouse is unavailable');
    const list = handled.get(event.orderId) ?? [];
    list.push(event.eventId);
    handled.set(event.orderId, list);
  };
  return { handle, handled, attempted };
}

describe('mskEventHandler', () => {
  it('hands every record of every partition to the handler, decoded and in offset order, and reports nothing', async () => {
    const { events, records } = threePartitions();
    const { handle, handled } = recordingHandler();
    const response = await mskEventHandler({ topic: orderEventsTopic, handle, log })(mskEvent(records));
    expect(response).toEqual({ batchItemFailures: [] });
    for (const [partition, partitionEvents] of events) {
      expect(handled.get(`order-${partition}`)).toEqual(partitionEvents.map((event) => event.eventId));
    }
  });

  it('reports a poisoned record alone: the other partitions and the later records of its own are handled', async () => {
    const { events, records } = threePartitions();
    // Partition 0, offset 11: not JSON. Partition 1, offset 12: JSON, but not the envelope.
    const poisoned = records.map((one) =>
      one.partition === 0 && one.offset === 11
        ? record(0, 11, '{"eventId": "truncated')
        : one.partition === 1 && one.offset === 12
          ? record(1, 12, JSON.stringify({ eventId: 'e', type: 'OrderPaid' }))
          : one,
    );
    const lines: { msg: string; offset?: number; partition?: number }[] = [];
    const capture = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
          done();
        },
      }),
    );
    const { handle, handled } = recordingHandler();
    const response = await mskEventHandler({ topic: orderEventsTopic, handle, log: capture })(mskEvent(poisoned));

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: { partition: `${TOPIC}-0`, offset: 11 } },
      { itemIdentifier: { partition: `${TOPIC}-1`, offset: 12 } },
    ]);
    const ids = (partition: number, indexes: number[]) => indexes.map((i) => events.get(partition)![i]!.eventId);
    expect(handled.get('order-0')).toEqual(ids(0, [0, 2, 3]));
    expect(handled.get('order-1')).toEqual(ids(1, [0, 1, 3]));
    expect(handled.get('order-2')).toEqual(ids(2, [0, 1, 2, 3]));
    expect(lines.map(({ partition, offset }) => ({ partition, offset }))).toEqual(
      expect.arrayContaining([
        { partition: 0, offset: 11 },
        { partition: 1, offset: 12 },
      ]),
    );
    expect(lines).toHaveLength(2);
  });

  it('stops a partition at a record whose handler fails and names it as the resume point; the redelivery completes it in order', async () => {
    const { events, records } = threePartitions();
    const failing = events.get(2)![1]!; // partition 2, offset 11
    let storeDown = true;
    const { handle, handled, attempted } = recordingHandler((event) => storeDown && event.eventId === failing.eventId);
    const lambda = mskEventHandler({ topic: orderEventsTopic, handle, log });

    const response = await lambda(mskEvent(records));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: { partition: `${TOPIC}-2`, offset: 11 } }]);
    const [placed, , shipped, delivered] = events.get(2)!;
    expect(handled.get('order-2')).toEqual([placed!.eventId]);
    // Nothing after the failed record was tried: it would have been handled before it.
    expect(attempted).not.toContain(shipped!.eventId);
    expect(attempted).not.toContain(delivered!.eventId);
    expect(handled.get('order-0')).toHaveLength(4);
    expect(handled.get('order-1')).toHaveLength(4);

    // Lambda resumes partition 2 from offset 11 (the others were committed).
    storeDown = false;
    const redelivery = mskEvent(records.filter((one) => one.partition === 2 && one.offset >= 11));
    expect(await lambda(redelivery)).toEqual({ batchItemFailures: [] });
    expect(handled.get('order-2')).toEqual(events.get(2)!.map((event) => event.eventId));
  });

  it('reports the first failure of a partition when a poisoned record comes before a failing one', async () => {
    const { events, records } = threePartitions();
    const failing = events.get(0)![2]!; // offset 12
    const withPoison = records.map((one) => (one.partition === 0 && one.offset === 10 ? record(0, 10, 'not json') : one));
    const { handle, handled } = recordingHandler((event) => event.eventId === failing.eventId);
    const response = await mskEventHandler({ topic: orderEventsTopic, handle, log })(mskEvent(withPoison));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: { partition: `${TOPIC}-0`, offset: 10 } }]);
    expect(handled.get('order-0')).toEqual([events.get(0)![1]!.eventId]);
  });

  it("treats a record of another topic, or one without a value, as unreadable", async () => {
    const event = envelope('order-x', 'OrderPlaced');
    const otherTopic = { ...record(0, 5, event), topic: 'products.events' };
    const tombstone = { ...record(1, 7, event), value: null };
    const { handle, handled } = recordingHandler();
    const response = await mskEventHandler({ topic: orderEventsTopic, handle, log })({
      ...mskEvent([]),
      records: { [`${TOPIC}-0`]: [otherTopic], [`${TOPIC}-1`]: [tombstone] },
    });
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: { partition: `${TOPIC}-0`, offset: 5 } },
      { itemIdentifier: { partition: `${TOPIC}-1`, offset: 7 } },
    ]);
    expect(handled.size).toBe(0);
  });

  it('handles partitions concurrently, at most partitionConcurrency at a time', async () => {
    const records = [0, 1, 2, 3, 4].map((partition) => record(partition, 0, envelope(`order-${partition}`, 'OrderPlaced')));
    let inFlight = 0;
    let mostInFlight = 0;
    let releaseFirstPair!: () => void;
    const firstPairRunning = new Promise<void>((resolve) => (releaseFirstPair = resolve));
    const handle = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // The first two wait for each other: this resolves only if two partitions run at once.
      if (inFlight === 2) releaseFirstPair();
      await firstPairRunning;
      inFlight -= 1;
    };
    const response = await mskEventHandler({ topic: orderEventsTopic, handle, log, partitionConcurrency: 2 })(mskEvent(records));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(mostInFlight).toBe(2);
  });

  it('rejects an event that is not an MSK event (Lambda then retries the whole batch)', async () => {
    const { handle } = recordingHandler();
    const lambda = mskEventHandler({ topic: orderEventsTopic, handle, log });
    await expect(lambda({ ...mskEvent([]), eventSource: 'aws:sqs' } as unknown as MskEvent)).rejects.toThrow(/aws:kafka/);
  });
});
