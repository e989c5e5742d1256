// Two DuckDbWarehouse on one file share one database (the service's sink and an in-process
// backfill): their loads are transactions on two connections, and when both insert the same keys
// DuckDB refuses the later commit with a duplicate-key constraint error, INSERT OR IGNORE or not —
// neither transaction saw the other's rows. A load that loses that race is run again, and then
// ignores the rows the other one committed.
import path from 'node:path';
import { makeTempDir } from '@cloudmart/test-kit';
import { DuckDbWarehouse } from '../src/services/warehouse/duckdb';
import { emptyRows, type WarehouseRows } from '../src/services/warehouse/warehouse';

/** Status changes of `orders` orders, the same rows whoever loads them. */
function statusChanges(orders: number): WarehouseRows {
  const rows = emptyRows();
  for (let i = 0; i < orders; i++) {
    for (const [rank, status] of ['PENDING_PAYMENT', 'PAID', 'REFUNDED'].entries()) {
      rows.statusChanges.push({
        changeId: `order-${i}#${status}`,
        eventId: 'backfill',
        orderId: `order-${i}`,
        status,
        statusRank: rank,
        occurredAt: new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(),
      });
    }
  }
  return rows;
}

describe('DuckDB warehouse, two connections loading the same rows at once', () => {
  const temp = makeTempDir('duckdb-concurrent');
  afterAll(() => temp.remove());

  it('both loads succeed and every row is there once', async () => {
    const file = path.join(temp.dir, 'warehouse.duckdb');
    const sink = new DuckDbWarehouse(file);
    const backfill = new DuckDbWarehouse(file);
    await sink.open();
    await backfill.open();
    try {
      // Rounds of overlapping loads: each round's rows are new, so each is a race on the same keys.
      for (let round = 0; round < 10; round++) {
        const rows = statusChanges(200);
        for (const row of rows.statusChanges) row.changeId = `r${round}-${row.changeId}`;
        await Promise.all([sink.load(rows), backfill.load(rows)]);
      }
      expect((await sink.counts()).statusChanges).toBe(10 * 200 * 3);
    } finally {
      await backfill.close();
      await sink.close();
    }
  });
});
