// Loads order history from the orders table into the warehouse: every order, its lines and every
// status in its history. The rows have the same keys as the ones the sink makes from events
// (order id, `<orderId>#<line>`, `<orderId>#<status>`), so running it again, or while the sink
// runs, adds nothing twice.
import { createLogger, type Logger } from '@cloudmart/runtime';
import { loadInsightsConfig } from '../config';
import { openInsightsData } from '../data';
import type { HistoricOrder, OrderHistoryReader } from '../data/order-history';
import { isOrderStatus } from '../domain/order-status';
import { placedOrderRows, statusChange, type CategoryLookup } from '../domain/order-rows';
import { createWarehouse } from '../services/warehouse';
import { emptyRows, type Warehouse, type WarehouseRows } from '../services/warehouse/warehouse';

export const BACKFILL_EVENT_ID = 'backfill';

async function rowsOfOrder(
  order: HistoricOrder,
  categories: CategoryLookup,
  log: Logger,
): Promise<WarehouseRows> {
  const rows = await placedOrderRows(
    {
      eventId: BACKFILL_EVENT_ID,
      orderId: order.id,
      userId: order.userId,
      currency: order.currency,
      lines: order.lines,
      subtotal: order.subtotal,
      tax: order.tax,
      shipping: order.shipping,
      total: order.total,
      placedAt: order.createdAt,
    },
    categories,
  );
  for (const event of order.events) {
    if (isOrderStatus(event.status)) {
      rows.statusChanges.push(statusChange(order.id, event.status, event.at, BACKFILL_EVENT_ID));
    } else log.warn({ orderId: order.id, status: event.status }, 'unknown order status in history; skipped');
  }
  return rows;
}

/** Returns how many orders were loaded. */
export async function backfill(
  history: OrderHistoryReader,
  categories: CategoryLookup,
  warehouse: Warehouse,
  log: Logger,
): Promise<number> {
  let loaded = 0;
  for await (const page of history.pages()) {
    const rows = emptyRows();
    for (const order of page) {
      const orderRows = await rowsOfOrder(order, categories, log);
      rows.orders.push(...orderRows.orders);
      rows.orderLines.push(...orderRows.orderLines);
      rows.statusChanges.push(...orderRows.statusChanges);
    }
    await warehouse.load(rows);
    loaded += page.length;
    log.info({ loaded }, 'backfilled orders');
  }
  return loaded;
}

/** The backfill as `npm run backfill -w @cloudmart/insights` runs it, from environment variables. */
export async function runBackfill(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadInsightsConfig(env);
  const log = createLogger('insights-backfill', config.LOG_LEVEL);
  const data = await openInsightsData(config);
  const warehouse = createWarehouse(config);
  try {
    await warehouse.open();
    const loaded = await backfill(data.orderHistory, data.categories.lookup, warehouse, log);
    log.info({ loaded }, 'backfill finished');
    return loaded;
  } finally {
    await warehouse.close();
    data.close();
  }
}
