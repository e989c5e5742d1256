// The warehouse port: where order facts are loaded and the sales questions are asked. Adapters:
// duckdb.ts (the zero-install default, a file under DATA_DIR/insights) and bigquery.ts. Both run
// the same SQL (queries.ts); what differs between the dialects lives in dialect.ts only.
//
// Writes are idempotent: every row has a key derived from the event that produced it (DuckDB:
// the primary key with INSERT OR IGNORE; BigQuery: insertId, and the queries also de-duplicate
// on the key, since BigQuery's streaming de-duplication is best effort).

/** One placed order (from OrderPlaced, or the orders table when backfilling). Money in minor units. */
export interface OrderRow {
  /** The OrderPlaced event's id, or `backfill` for an order loaded from the orders table. */
  eventId: string;
  orderId: string;
  userId: string;
  currency: string;
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  placedAt: string;
}

/**
 * One line of a placed order. `lineId` = `<orderId>#<line number>`: the same whether it came from
 * the event or from the backfill, so loading both never doubles a line.
 */
export interface OrderLineRow {
  lineId: string;
  orderId: string;
  productId: string;
  category: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  placedAt: string;
}

/**
 * A status an order reached. `changeId` = `<orderId>#<status>`: the state machine never returns to
 * a status, so this names the change whether it came from an event or from the backfill.
 */
export interface StatusChangeRow {
  changeId: string;
  /** The event that made the change, or `backfill`. */
  eventId: string;
  orderId: string;
  status: string;
  statusRank: number;
  occurredAt: string;
}

export interface WarehouseRows {
  orders: OrderRow[];
  orderLines: OrderLineRow[];
  statusChanges: StatusChangeRow[];
}

export type Granularity = 'DAY' | 'WEEK' | 'MONTH';

export interface Range {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  currency: string;
}

export interface PeriodSales {
  periodStart: Date;
  revenue: number;
  orders: number;
}

export interface ProductSalesRow {
  productId: string;
  revenue: number;
  units: number;
}

export interface CategorySalesRow {
  category: string;
  revenue: number;
  units: number;
  orders: number;
}

export interface Warehouse {
  /** Creates what is missing (dataset, tables). Idempotent. */
  open(): Promise<void>;
  /** Loads the rows; rows already loaded (same key) are ignored. */
  load(rows: WarehouseRows): Promise<void>;
  /** Periods with sales only (the caller fills the gaps), oldest first. */
  salesByPeriod(range: Range, granularity: Granularity): Promise<PeriodSales[]>;
  topProducts(range: Range, first: number, by: 'REVENUE' | 'UNITS'): Promise<ProductSalesRow[]>;
  categoryBreakdown(range: Range): Promise<CategorySalesRow[]>;
  /** Rows per table as stored, duplicates included (health checks, idempotency tests). */
  counts(): Promise<{ orders: number; orderLines: number; statusChanges: number }>;
  close(): Promise<void>;
}

export const emptyRows = (): WarehouseRows => ({ orders: [], orderLines: [], statusChanges: [] });
