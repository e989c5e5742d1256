// The warehouse sink as an MSK Lambda, on events in AWS's documented shape (records by
// "<topic>-<partition>", base64 values), over a DuckDB file: every order's rows are loaded once,
// a redelivered batch adds nothing, an event the sink cannot read is skipped (as in the cluster)
// and a record that is not an event is reported alone; a warehouse failure makes its partition
// resume from the failed record, and the redelivery completes it. The function's own settings
// refuse DuckDB: in AWS it loads BigQuery.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ConfigError, createLogger, loadConfig, orderEventsTopic, type EventEnvelope } from '@cloudmart/runtime';
import type { MskRecord } from '@cloudmart/runtime/lambda';
import { makeTempDir, mskEvent, mskRecord } from '@cloudmart/test-kit';
import { warehouseSinkHandler, warehouseSinkSettingsSchema } from '../src/lambda/warehouse-sink';
import { DuckDbWarehouse } from '../src/services/warehouse/duckdb';
import type { WarehouseRows } from '../src/services/warehouse/warehouse';
import { orderEvents } from './fixtures/order-events';

const log = createLogger('insights-lambda-test', 'silent');
const categories = async (ids: string[]) => new Map(ids.map((id) => [id, `category-of-${id}`]));
const TOPIC = orderEventsTopic.name;

const record = (partition: number, offset: number, value: EventEnvelope | string) => mskRecord(TOPIC, partition, offset, value);

/** Orders spread over partitions as the producer keys them (one order, one partition), offsets from 100. */
function partitioned(orders: EventEnvelope[][], partitions: number): MskRecord[] {
  const next = new Map<number, number>();
  return orders.flatMap((events, i) =>
    events.map((event) => {
      const partition = i % partitions;
      const offset = next.get(partition) ?? 100;
      next.set(partition, offset + 1);
      return record(partition, offset, event);
    }),
  );
}

describe('the warehouse sink Lambda', () => {
  const temp = makeTempDir('insights-lambda-sink');
  let warehouse: DuckDbWarehouse;
  beforeEach(async () => {
    warehouse = new DuckDbWarehouse(path.join(temp.dir, `${randomUUID()}.duckdb`));
    await warehouse.open();
  });
  afterEach(() => warehouse.close());
  afterAll(() => temp.remove());

  it('loads every order of a batch over several partitions; the same batch again adds nothing', async () => {
    const orders = Array.from({ length: 6 }, (_, i) => orderEvents(new Date(Date.UTC(2026, 10, 2 + i, 10))));
    const lambda = warehouseSinkHandler({ warehouse, categories, log });
    const event = mskEvent(partitioned(orders, 3));
    expect(Object.keys(event.records)).toHaveLength(3);

    expect(await lambda(event)).toEqual({ batchItemFailures: [] });
    expect(await warehouse.counts()).toEqual({ orders: 6, orderLines: 12, statusChanges: 18 });
    expect(await lambda(event)).toEqual({ batchItemFailures: [] });
    expect(await warehouse.counts()).toEqual({ orders: 6, orderLines: 12, statusChanges: 18 });
  });

  it('skips an event it cannot read as the cluster does, and reports a record that is not an event alone', async () => {
    const [placed, paid, shipped] = orderEvents(new Date('2026-11-09T10:00:00Z'));
    const newer: EventEnvelope = { ...paid!, eventId: randomUUID(), version: 2 };
    const records = [
      record(0, 100, placed!),
      record(0, 101, newer), // a payload version this code does not know: skipped by the sink
      record(0, 102, '{"eventId":'), // not an event at all: reported
      record(0, 103, paid!),
      record(1, 100, shipped!),
    ];
    const response = await warehouseSinkHandler({ warehouse, categories, log })(mskEvent(records));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: `${TOPIC}-0`, offset: 102 } }] });
    // Everything readable was loaded, the records after the poisoned one included.
    expect(await warehouse.counts()).toEqual({ orders: 1, orderLines: 2, statusChanges: 3 });
  });

  it('makes a partition resume from the record whose load failed; the redelivery loads the rest', async () => {
    const orders = Array.from({ length: 4 }, (_, i) => orderEvents(new Date(Date.UTC(2026, 10, 12 + i, 10))));
    const records = partitioned(orders, 2);
    const failingOrder = orders[2]!; // partition 0, second order: offsets 103..105
    let warehouseDown = true;
    const flaky = Object.create(warehouse) as DuckDbWarehouse;
    flaky.load = async (rows: WarehouseRows) => {
      if (warehouseDown && rows.statusChanges.some((change) => change.orderId === failingOrder[0]!.orderId)) {
        throw new Error('the warehouse is unavailable');
      }
      await warehouse.load(rows);
    };
    const lambda = warehouseSinkHandler({ warehouse: flaky, categories, log });

    const response = await lambda(mskEvent(records));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: `${TOPIC}-0`, offset: 103 } }] });
    // Partition 1 (orders 1 and 3) whole, partition 0 up to the failure (order 0).
    expect(await warehouse.counts()).toEqual({ orders: 3, orderLines: 6, statusChanges: 9 });

    warehouseDown = false;
    const redelivery = mskEvent(records.filter((one) => one.partition === 0 && one.offset >= 103));
    expect(await lambda(redelivery)).toEqual({ batchItemFailures: [] });
    expect(await warehouse.counts()).toEqual({ orders: 4, orderLines: 8, statusChanges: 12 });
  });

  it('refuses DuckDB in its settings: in AWS the function loads BigQuery', () => {
    const env = { AWS_REGION: 'us-east-1', BIGQUERY_PROJECT: 'cloudmart-analytics' };
    expect(() => loadConfig(warehouseSinkSettingsSchema, { ...env, WAREHOUSE: 'duckdb' })).toThrow(ConfigError);
    expect(() => loadConfig(warehouseSinkSettingsSchema, { ...env, WAREHOUSE: 'duckdb' })).toThrow(/WAREHOUSE: .*BigQuery only/);
    expect(() => loadConfig(warehouseSinkSettingsSchema, { AWS_REGION: 'us-east-1' })).toThrow(/BIGQUERY_PROJECT/);
    expect(loadConfig(warehouseSinkSettingsSchema, env)).toMatchObject({
      WAREHOUSE: 'bigquery',
      BIGQUERY_PROJECT: 'cloudmart-analytics',
      BIGQUERY_DATASET: 'cloudmart_insights',
    });
  });
});
