// The insights warehouse on DuckDB (the local default): how fast order rows load (the sink's and
// the backfill's path: idempotent INSERT OR IGNORE in transactions) and how long the sales
// queries take over a year of orders. Writes bench/results/insights-warehouse.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTempDir } from '@cloudmart/test-kit';
import { statusChange } from '@cloudmart/insights/order-rows';
import { DuckDbWarehouse, emptyRows, type WarehouseRows } from '@cloudmart/insights/warehouse';

const ORDERS = 100_000;
const BATCH = 1_000;
const QUERY_RUNS = 20;
const categories = [
  'headphones',
  'speakers',
  'laptops',
  'phones',
  'cameras',
  'watches',
  'tablets',
  'monitors',
];

function batch(start: number, count: number): WarehouseRows {
  const rows = emptyRows();
  const yearStart = Date.UTC(2026, 0, 1);
  for (let i = start; i < start + count; i++) {
    const orderId = `order-${i}`;
    const placedAt = new Date(
      yearStart + ((i * 7_919) % 365) * 86_400_000 + (i % 86_400) * 1_000,
    ).toISOString();
    const lines = (i % 3) + 1;
    let total = 0;
    for (let n = 1; n <= lines; n++) {
      const unitPrice = 500 + ((i * n * 31) % 20_000);
      const quantity = ((i + n) % 4) + 1;
      total += unitPrice * quantity;
      rows.orderLines.push({
        lineId: `${orderId}#${n}`,
        orderId,
        productId: `product-${(i * n) % 2_000}`,
        category: categories[(i + n) % categories.length]!,
        quantity,
        unitPrice,
        lineTotal: unitPrice * quantity,
        placedAt,
      });
    }
    rows.orders.push({
      eventId: `e-${i}`,
      orderId,
      userId: `user-${i % 5_000}`,
      currency: 'USD',
      subtotal: total,
      tax: 0,
      shipping: 0,
      total,
      placedAt,
    });
    rows.statusChanges.push(statusChange(orderId, 'PENDING_PAYMENT', placedAt, `e-${i}`));
    if (i % 10 !== 0) rows.statusChanges.push(statusChange(orderId, 'PAID', placedAt, `p-${i}`));
    if (i % 25 === 0) rows.statusChanges.push(statusChange(orderId, 'CANCELLED', placedAt, `c-${i}`));
  }
  return rows;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  const temp = makeTempDir('bench-warehouse');
  const warehouse = new DuckDbWarehouse(path.join(temp.dir, 'warehouse.duckdb'));
  await warehouse.open();
  try {
    const [loadMs] = await timed(async () => {
      for (let start = 0; start < ORDERS; start += BATCH) await warehouse.load(batch(start, BATCH));
    });
    // The same rows again: what a redelivery costs (all ignored on their keys).
    const [reloadMs] = await timed(() => warehouse.load(batch(0, BATCH)));
    const counts = await warehouse.counts();
    const range = {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
      currency: 'USD',
    };
    const queries: Record<string, () => Promise<unknown>> = {
      'salesByPeriod DAY (365 rows)': () => warehouse.salesByPeriod(range, 'DAY'),
      'salesByPeriod MONTH': () => warehouse.salesByPeriod(range, 'MONTH'),
      'topProducts first 10 by REVENUE': () => warehouse.topProducts(range, 10, 'REVENUE'),
      categoryBreakdown: () => warehouse.categoryBreakdown(range),
    };
    const results: { query: string; p50: number; p95: number }[] = [];
    for (const [name, run] of Object.entries(queries)) {
      await run(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < QUERY_RUNS; i++) times.push((await timed(run))[0]);
      results.push({
        query: name,
        p50: Math.round(percentile(times, 50) * 10) / 10,
        p95: Math.round(percentile(times, 95) * 10) / 10,
      });
    }
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
    const summary = {
      orders: counts.orders,
      orderLines: counts.orderLines,
      statusChanges: counts.statusChanges,
      loadSeconds: Math.round(loadMs / 100) / 10,
      ordersPerSecond: Math.round(ORDERS / (loadMs / 1000)),
      reloadOf1000OrdersMs: Math.round(reloadMs),
      queries: results,
      machine,
      at: new Date().toISOString(),
    };
    const resultsDir = path.join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, 'insights-warehouse.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      path.join(resultsDir, 'insights-warehouse.md'),
      [
        '# insights warehouse (DuckDB)',
        '',
        `${summary.orders.toLocaleString('en')} orders (${summary.orderLines.toLocaleString('en')} lines, ` +
          `${summary.statusChanges.toLocaleString('en')} status changes) over 2026, loaded in batches of ${BATCH} orders ` +
          `with the warehouse's idempotent writes: ${summary.loadSeconds} s, ${summary.ordersPerSecond.toLocaleString('en')} orders/s. ` +
          `Loading 1,000 orders again (all ignored on their keys): ${summary.reloadOf1000OrdersMs} ms. ` +
          `Queries over the whole year, ${QUERY_RUNS} runs each after a warm-up. ${machine}, ${summary.at}.`,
        '',
        '| query | p50 (ms) | p95 (ms) |',
        '| --- | ---: | ---: |',
        ...results.map((row) => `| ${row.query} | ${row.p50} | ${row.p95} |`),
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await warehouse.close();
    temp.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
