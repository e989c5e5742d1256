// Sales questions on the DuckDB warehouse: which orders count as revenue, ISO weeks and months,
// empty periods filled, average order value rounded half up, range limits.
import type { OrderStatus } from '@cloudmart/orders/contract';
import { statusRanks } from '../src/domain/order-status';
import { statusChange } from '../src/domain/order-rows';
import { Insights } from '../src/domain/insights';
import { periodsBetween, periodStart } from '../src/domain/periods';
import { DuckDbWarehouse } from '../src/services/warehouse/duckdb';
import type { WarehouseRows } from '../src/services/warehouse/warehouse';
import type { SentimentStore } from '../src/data/sentiment-store';

function order(
  orderId: string,
  placedAt: string,
  total: number,
  statuses: OrderStatus[],
  currency = 'USD',
): WarehouseRows {
  return {
    orders: [
      {
        eventId: `e-${orderId}`,
        orderId,
        userId: 'u',
        currency,
        subtotal: total,
        tax: 0,
        shipping: 0,
        total,
        placedAt,
      },
    ],
    orderLines: [
      {
        lineId: `${orderId}#1`,
        orderId,
        productId: 'p',
        category: 'c',
        quantity: 1,
        unitPrice: total,
        lineTotal: total,
        placedAt,
      },
    ],
    statusChanges: statuses.map((status) =>
      statusChange(orderId, status, placedAt, `e-${orderId}-${status}`),
    ),
  };
}

describe('sales on the DuckDB warehouse', () => {
  const warehouse = new DuckDbWarehouse(':memory:');
  const insights = new Insights(warehouse, {} as SentimentStore, 'USD');

  beforeAll(async () => {
    await warehouse.open();
    const paid: OrderStatus[] = ['PENDING_PAYMENT', 'PAID'];
    for (const rows of [
      order('sun', '2026-11-01T23:59:59.000Z', 1_000, paid), // Sunday: ISO week of Oct 26
      order('mon', '2026-11-02T00:00:00.000Z', 2_000, [...paid, 'FULFILLING', 'SHIPPED', 'DELIVERED']),
      order('mon2', '2026-11-02T12:00:00.000Z', 3_001, [...paid, 'FULFILLING']),
      order('refunded', '2026-11-02T13:00:00.000Z', 9_999, [
        ...paid,
        'FULFILLING',
        'SHIPPED',
        'DELIVERED',
        'REFUNDED',
      ]),
      order('cancelled', '2026-11-02T14:00:00.000Z', 9_999, [...paid, 'CANCELLED']),
      order('declined', '2026-11-02T15:00:00.000Z', 9_999, ['PENDING_PAYMENT', 'PAYMENT_FAILED']),
      order('pending', '2026-11-02T16:00:00.000Z', 9_999, ['PENDING_PAYMENT']),
      order('euros', '2026-11-02T17:00:00.000Z', 9_999, paid, 'EUR'),
      order('december', '2026-12-01T00:00:00.000Z', 500, paid),
    ]) {
      await warehouse.load(rows);
    }
  });
  afterAll(() => warehouse.close());

  it('ranks statuses along the state machine', () => {
    expect(
      Object.entries(statusRanks)
        .sort(([, a], [, b]) => a - b)
        .map(([status]) => status),
    ).toEqual([
      'PENDING_PAYMENT',
      'PAID',
      'FULFILLING',
      'SHIPPED',
      'DELIVERED',
      'CANCELLED',
      'REFUNDED',
      'PAYMENT_FAILED',
    ]);
  });

  it('counts paid orders in their current status only, by day, with empty days', async () => {
    const rows = await insights.salesSummary(
      new Date('2026-11-01T00:00:00Z'),
      new Date('2026-11-04T00:00:00Z'),
      'DAY',
    );
    expect(rows).toEqual([
      { periodStart: new Date('2026-11-01T00:00:00Z'), revenue: 1_000, orders: 1, averageOrderValue: 1_000 },
      // (2000 + 3001) / 2 = 2500.5 → 2501
      { periodStart: new Date('2026-11-02T00:00:00Z'), revenue: 5_001, orders: 2, averageOrderValue: 2_501 },
      { periodStart: new Date('2026-11-03T00:00:00Z'), revenue: 0, orders: 0, averageOrderValue: 0 },
    ]);
  });

  it('groups by ISO week (Monday) and by month', async () => {
    const weeks = await insights.salesSummary(
      new Date('2026-10-28T00:00:00Z'),
      new Date('2026-11-10T00:00:00Z'),
      'WEEK',
    );
    expect(weeks.map((row) => [row.periodStart.toISOString().slice(0, 10), row.revenue])).toEqual([
      ['2026-10-26', 1_000],
      ['2026-11-02', 5_001],
      ['2026-11-09', 0],
    ]);
    const months = await insights.salesSummary(
      new Date('2026-11-01T00:00:00Z'),
      new Date('2027-01-01T00:00:00Z'),
      'MONTH',
    );
    expect(
      months.map((row) => [row.periodStart.toISOString().slice(0, 10), row.revenue, row.orders]),
    ).toEqual([
      ['2026-11-01', 6_001, 3],
      ['2026-12-01', 500, 1],
    ]);
  });

  it('refuses an empty range, too many periods, and a bad `first`', async () => {
    const day = new Date('2026-11-02T00:00:00Z');
    await expect(insights.salesSummary(day, day, 'DAY')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(
      insights.salesSummary(new Date('2020-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 'DAY'),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(
      insights.topProducts(day, new Date('2026-11-03T00:00:00Z'), 0, 'UNITS'),
    ).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('computes period starts in UTC', () => {
    expect(periodStart(new Date('2026-11-08T23:00:00Z'), 'WEEK').toISOString()).toBe(
      '2026-11-02T00:00:00.000Z',
    );
    expect(periodStart(new Date('2026-02-28T10:00:00Z'), 'MONTH').toISOString()).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect(
      periodsBetween(new Date('2026-01-31T10:00:00Z'), new Date('2026-03-01T00:00:00Z'), 'MONTH', 10)!.map(
        (d) => d.toISOString(),
      ),
    ).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });
});
