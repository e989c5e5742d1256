// The read side shared by both adapters: run the same queries, read the rows the same way.
import type { Dialect } from './dialect';
import {
  categoryBreakdownQuery,
  countsQuery,
  salesByPeriodQuery,
  topProductsQuery,
  type Query,
} from './queries';
import type {
  CategorySalesRow,
  Granularity,
  PeriodSales,
  ProductSalesRow,
  Range,
  Warehouse,
  WarehouseRows,
} from './warehouse';

type ResultRow = Record<string, unknown>;

/** Integers come back as number, bigint or numeric string depending on the engine. */
const int = (value: unknown): number => {
  const n = typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
  if (!Number.isSafeInteger(n))
    throw new Error(`expected an integer from the warehouse, got ${String(value)}`);
  return n;
};

export abstract class SqlWarehouse implements Warehouse {
  protected constructor(protected readonly dialect: Dialect) {}

  abstract open(): Promise<void>;
  abstract load(rows: WarehouseRows): Promise<void>;
  abstract close(): Promise<void>;
  /** Runs a query and returns its rows as plain objects keyed by column name. */
  protected abstract run(query: Query): Promise<ResultRow[]>;

  async salesByPeriod(range: Range, granularity: Granularity): Promise<PeriodSales[]> {
    const rows = await this.run(salesByPeriodQuery(this.dialect, range, granularity));
    return rows.map((row) => ({
      periodStart: new Date(String(row.period_start)),
      orders: int(row.orders),
      revenue: int(row.revenue),
    }));
  }

  async topProducts(range: Range, first: number, by: 'REVENUE' | 'UNITS'): Promise<ProductSalesRow[]> {
    const rows = await this.run(topProductsQuery(this.dialect, range, first, by));
    return rows.map((row) => ({
      productId: String(row.product_id),
      revenue: int(row.revenue),
      units: int(row.units),
    }));
  }

  async categoryBreakdown(range: Range): Promise<CategorySalesRow[]> {
    const rows = await this.run(categoryBreakdownQuery(this.dialect, range));
    return rows.map((row) => ({
      category: String(row.category),
      revenue: int(row.revenue),
      units: int(row.units),
      orders: int(row.orders),
    }));
  }

  async counts() {
    const [row] = await this.run(countsQuery(this.dialect));
    return {
      orders: int(row?.orders),
      orderLines: int(row?.order_lines),
      statusChanges: int(row?.status_changes),
    };
  }
}
