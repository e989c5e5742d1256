// The warehouse sink on a DuckDB file: events become rows, a repeat changes nothing, a crash
// between the write and the commit adds nothing, and — on every event bus adapter (in-process
// log, file log, Kafka through librdkafka's mock cluster, a real cluster when KAFKA_BROKERS is
// set) — a sink stopped mid-stream and started again (a new bus client and warehouse connection,
// the group's committed offset) leaves no duplicate and no missing row.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createLogger, InProcessEventBus } from '@cloudmart/runtime';
import { busAdapters, makeTempDir, type BusFixture } from '@cloudmart/test-kit';
import { DuckDbWarehouse } from '../src/services/warehouse/duckdb';
import { WarehouseSink } from '../src/workers/warehouse-sink';
import { ORDER_TOTAL, orderEvents } from './fixtures/order-events';

const log = createLogger('insights-test', 'silent');
const categories = async (ids: string[]) => new Map(ids.map((id) => [id, `category-of-${id}`]));

describe('warehouse sink', () => {
  const temp = makeTempDir('insights-sink');
  afterAll(() => temp.remove());

  it('loads orders, lines and status changes; a repeated event changes nothing', async () => {
    const warehouse = new DuckDbWarehouse(path.join(temp.dir, 'repeat.duckdb'));
    await warehouse.open();
    const sink = new WarehouseSink(new InProcessEventBus(), warehouse, categories, log);
    const events = orderEvents(new Date('2026-11-02T10:00:00Z'));
    for (const event of [...events, ...events]) await sink.handle(event);
    expect(await warehouse.counts()).toEqual({ orders: 1, orderLines: 2, statusChanges: 3 });
    const range = {
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-03T00:00:00Z'),
      currency: 'USD',
    };
    expect(await warehouse.salesByPeriod(range, 'DAY')).toEqual([
      { periodStart: new Date('2026-11-02T00:00:00Z'), orders: 1, revenue: ORDER_TOTAL },
    ]);
    expect(await warehouse.topProducts(range, 10, 'UNITS')).toEqual([
      { productId: 'p1', revenue: 2_000, units: 2 },
      { productId: 'p2', revenue: 2_500, units: 1 },
    ]);
    expect(await warehouse.categoryBreakdown(range)).toEqual([
      { category: 'category-of-p2', revenue: 2_500, units: 1, orders: 1 },
      { category: 'category-of-p1', revenue: 2_000, units: 2, orders: 1 },
    ]);
    await warehouse.close();
  });

  it('a crash after the write but before the commit redelivers the event, and the repeat adds nothing', async () => {
    const warehouse = new DuckDbWarehouse(path.join(temp.dir, 'crash.duckdb'));
    await warehouse.open();
    let crashed = false;
    // The rows are written, then the process "dies" before the bus commits the offset.
    const crashing = Object.create(warehouse) as DuckDbWarehouse;
    crashing.load = async (rows) => {
      await warehouse.load(rows);
      if (rows.orders.length > 0 && !crashed) {
        crashed = true;
        throw new Error('crashed before the commit');
      }
    };
    const bus = new InProcessEventBus();
    const sink = new WarehouseSink(bus.client(), crashing, categories, log);
    const events = Array.from({ length: 5 }, () => orderEvents(new Date('2026-11-05T08:00:00Z'))).flat();
    await bus.publish(events);
    await sink.start();
    await eventually(async () => (await warehouse.counts()).statusChanges >= 15);
    await sink.stop();
    expect(crashed).toBe(true);
    expect(await warehouse.counts()).toEqual({ orders: 5, orderLines: 10, statusChanges: 15 });
    await warehouse.close();
  });
});

describe.each(busAdapters().map((adapter) => [adapter.name, adapter] as const))(
  'warehouse sink on the %s',
  (_name, adapter) => {
    const temp = makeTempDir('insights-sink-restart');
    let fixture: BusFixture;
    beforeAll(async () => {
      fixture = await adapter.start();
    });
    afterAll(async () => {
      await fixture?.stop();
      temp.remove();
    });

    it('stopped mid-stream and restarted, leaves no duplicate and no missing row', async () => {
      const topic = await fixture.newTopic();
      const file = path.join(temp.dir, `${randomUUID()}.duckdb`);
      const orders = Array.from({ length: 60 }, (_, i) =>
        orderEvents(new Date(Date.UTC(2026, 10, 1 + (i % 20), 12))),
      );
      const publisher = fixture.bus(topic);

      // Events keep flowing while the first sink runs and is stopped.
      const publishing = (async () => {
        for (const events of orders) {
          await publisher.publish(events);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();

      const first = new DuckDbWarehouse(file);
      await first.open();
      const firstBus = fixture.bus(topic);
      const firstSink = new WarehouseSink(firstBus, first, categories, log);
      await firstSink.start();
      await eventually(async () => (await first.counts()).orders >= 5);
      await firstSink.stop(); // stopped mid-stream: the event in hand is finished and committed
      await firstBus.close();
      const loadedBefore = await first.counts();
      await first.close();
      expect(loadedBefore.orders).toBeLessThan(orders.length);
      await publishing;

      // A new process: a new bus client and warehouse connection, the same consumer group.
      const second = new DuckDbWarehouse(file);
      await second.open();
      const secondBus = fixture.bus(topic);
      const secondSink = new WarehouseSink(secondBus, second, categories, log);
      await secondSink.start();
      const expected = {
        orders: orders.length,
        orderLines: orders.length * 2,
        statusChanges: orders.length * 3,
      };
      await eventually(async () => (await second.counts()).statusChanges >= expected.statusChanges, 60_000);
      await secondSink.stop();
      await secondBus.close();
      await publisher.close();
      // COUNT(*) per table equals the number of distinct rows the events describe: none twice, none missing.
      expect(await second.counts()).toEqual(expected);
      const [month] = await second.salesByPeriod(
        { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), currency: 'USD' },
        'MONTH',
      );
      expect(month).toEqual({
        periodStart: new Date('2026-11-01T00:00:00Z'),
        orders: 60,
        revenue: 60 * ORDER_TOTAL,
      });
      await second.close();
    });
  },
);

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
