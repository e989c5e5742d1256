// The warehouse's SQL, written once for both adapters: what differs between DuckDB and BigQuery
// comes from the Dialect. Every read de-duplicates on the table's key first, because BigQuery's
// insertId de-duplication is best effort (DuckDB's primary key already makes this a no-op).
import { REVENUE_RANKS } from '../../domain/order-status';
import type { Dialect } from './dialect';
import { orderLinesTable, ordersTable, statusChangesTable, type WarehouseTable } from './tables';
import type { Granularity } from './warehouse';

export interface Query {
  sql: string;
  /** Named parameters; Dates bind as TIMESTAMP. */
  params: Record<string, string | number | Date>;
}

export interface RangeParams {
  from: Date;
  to: Date;
  currency: string;
}

// BigQuery accepts QUALIFY only beside a WHERE, GROUP BY or HAVING: hence WHERE TRUE.
const deduplicated = <Row>(d: Dialect, table: WarehouseTable<Row>) =>
  `SELECT * FROM ${d.table(table.name)} WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY ${table.key}) = 1`;

/** Orders placed in the range, in the currency, whose current status counts as revenue. */
const countedOrders = (d: Dialect) => `
  orders_once AS (${deduplicated(d, ordersTable)}),
  current_status AS (
    SELECT order_id, MAX(status_rank) AS status_rank FROM ${d.table(statusChangesTable.name)} GROUP BY order_id
  ),
  counted AS (
    SELECT o.* FROM orders_once o JOIN current_status s ON s.order_id = o.order_id
    WHERE s.status_rank BETWEEN ${d.param('minRank')} AND ${d.param('maxRank')}
      AND o.placed_at >= ${d.timestampParam('from')} AND o.placed_at < ${d.timestampParam('to')}
      AND o.currency = ${d.param('currency')}
  )`;

const rangeParams = (range: RangeParams) => ({
  from: range.from,
  to: range.to,
  currency: range.currency,
  minRank: REVENUE_RANKS.min,
  maxRank: REVENUE_RANKS.max,
});

export function salesByPeriodQuery(d: Dialect, range: RangeParams, granularity: Granularity): Query {
  const period = d.truncate('placed_at', granularity);
  return {
    sql: `WITH ${countedOrders(d)}
      SELECT ${d.isoText(period)} AS period_start, ${d.int64('COUNT(*)')} AS orders,
        ${d.int64('SUM(total)')} AS revenue
      FROM counted GROUP BY period_start ORDER BY period_start`,
    params: rangeParams(range),
  };
}

const countedLines = (d: Dialect) => `
  lines_once AS (${deduplicated(d, orderLinesTable)}),
  counted_lines AS (SELECT l.* FROM lines_once l JOIN counted c ON c.order_id = l.order_id)`;

export function topProductsQuery(
  d: Dialect,
  range: RangeParams,
  first: number,
  by: 'REVENUE' | 'UNITS',
): Query {
  const order = by === 'REVENUE' ? 'revenue DESC, units DESC' : 'units DESC, revenue DESC';
  return {
    sql: `WITH ${countedOrders(d)}, ${countedLines(d)}
      SELECT product_id, ${d.int64('SUM(line_total)')} AS revenue, ${d.int64('SUM(quantity)')} AS units
      FROM counted_lines GROUP BY product_id ORDER BY ${order}, product_id LIMIT ${d.param('first')}`,
    params: { ...rangeParams(range), first },
  };
}

export function categoryBreakdownQuery(d: Dialect, range: RangeParams): Query {
  return {
    sql: `WITH ${countedOrders(d)}, ${countedLines(d)}
      SELECT category, ${d.int64('SUM(line_total)')} AS revenue, ${d.int64('SUM(quantity)')} AS units,
        ${d.int64('COUNT(DISTINCT order_id)')} AS orders
      FROM counted_lines GROUP BY category ORDER BY revenue DESC, category`,
    params: rangeParams(range),
  };
}

/** Rows as stored, duplicates included: what tests check idempotency with. */
export function countsQuery(d: Dialect): Query {
  const count = <Row>(table: WarehouseTable<Row>) =>
    `(SELECT ${d.int64('COUNT(*)')} FROM ${d.table(table.name)})`;
  return {
    sql: `SELECT ${count(ordersTable)} AS orders, ${count(orderLinesTable)} AS order_lines,
      ${count(statusChangesTable)} AS status_changes`,
    params: {},
  };
}
