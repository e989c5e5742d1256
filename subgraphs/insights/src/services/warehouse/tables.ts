// The warehouse's tables, described once for both adapters. Each has a key column derived from
// the event that produced the row (the de-duplication key) and a TIMESTAMP column that BigQuery
// partitions by day.
import type { ColumnType } from './dialect';
import type { OrderLineRow, OrderRow, StatusChangeRow, WarehouseRows } from './warehouse';

export interface WarehouseTable<Row> {
  name: string;
  /** Unique per row: the primary key in DuckDB, insertId in BigQuery, and what reads de-duplicate on. */
  key: string;
  /** BigQuery's day partitioning column. */
  partitionBy: string;
  columns: { name: string; type: ColumnType; value: (row: Row) => string | number }[];
  rowsOf(rows: WarehouseRows): Row[];
}

export const ordersTable: WarehouseTable<OrderRow> = {
  name: 'orders',
  key: 'order_id',
  partitionBy: 'placed_at',
  columns: [
    { name: 'order_id', type: 'STRING', value: (row) => row.orderId },
    { name: 'event_id', type: 'STRING', value: (row) => row.eventId },
    { name: 'user_id', type: 'STRING', value: (row) => row.userId },
    { name: 'currency', type: 'STRING', value: (row) => row.currency },
    { name: 'subtotal', type: 'INT64', value: (row) => row.subtotal },
    { name: 'tax', type: 'INT64', value: (row) => row.tax },
    { name: 'shipping', type: 'INT64', value: (row) => row.shipping },
    { name: 'total', type: 'INT64', value: (row) => row.total },
    { name: 'placed_at', type: 'TIMESTAMP', value: (row) => row.placedAt },
  ],
  rowsOf: (rows) => rows.orders,
};

export const orderLinesTable: WarehouseTable<OrderLineRow> = {
  name: 'order_lines',
  key: 'line_id',
  partitionBy: 'placed_at',
  columns: [
    { name: 'line_id', type: 'STRING', value: (row) => row.lineId },
    { name: 'order_id', type: 'STRING', value: (row) => row.orderId },
    { name: 'product_id', type: 'STRING', value: (row) => row.productId },
    { name: 'category', type: 'STRING', value: (row) => row.category },
    { name: 'quantity', type: 'INT64', value: (row) => row.quantity },
    { name: 'unit_price', type: 'INT64', value: (row) => row.unitPrice },
    { name: 'line_total', type: 'INT64', value: (row) => row.lineTotal },
    { name: 'placed_at', type: 'TIMESTAMP', value: (row) => row.placedAt },
  ],
  rowsOf: (rows) => rows.orderLines,
};

export const statusChangesTable: WarehouseTable<StatusChangeRow> = {
  name: 'status_changes',
  key: 'change_id',
  partitionBy: 'occurred_at',
  columns: [
    { name: 'change_id', type: 'STRING', value: (row) => row.changeId },
    { name: 'event_id', type: 'STRING', value: (row) => row.eventId },
    { name: 'order_id', type: 'STRING', value: (row) => row.orderId },
    { name: 'status', type: 'STRING', value: (row) => row.status },
    { name: 'status_rank', type: 'INT64', value: (row) => row.statusRank },
    { name: 'occurred_at', type: 'TIMESTAMP', value: (row) => row.occurredAt },
  ],
  rowsOf: (rows) => rows.statusChanges,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of tables of different row types
export const warehouseTables: WarehouseTable<any>[] = [ordersTable, orderLinesTable, statusChangesTable];
