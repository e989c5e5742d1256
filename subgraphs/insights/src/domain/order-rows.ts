// Order events (and orders read from the orders table, for the backfill) as warehouse rows.
// The payloads are the orders subgraph's (subgraphs/orders/src/domain/orders.ts, version 1).
import { z } from 'zod';
import type { EventEnvelope } from '@cloudmart/runtime';
import type { OrderLineRow, StatusChangeRow, WarehouseRows } from '../services/warehouse/warehouse';
import { emptyRows } from '../services/warehouse/warehouse';
import type { OrderStatus } from '@cloudmart/orders/contract';
import { isOrderStatus, statusRanks } from './order-status';

const lineSchema = z.object({
  productId: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: z.number().int(),
});

const orderPlacedSchema = z.object({
  currency: z.string(),
  items: z.array(lineSchema),
  subtotal: z.number().int(),
  tax: z.number().int(),
  shipping: z.number().int(),
  total: z.number().int(),
});

const statusChangedSchema = z.object({ to: z.string() });

/** Each product's category (at load time: the products table keeps no history of it). */
export type CategoryLookup = (productIds: string[]) => Promise<Map<string, string>>;

export const UNKNOWN_CATEGORY = 'unknown';

export interface PlacedOrder {
  eventId: string;
  orderId: string;
  userId: string;
  currency: string;
  lines: z.infer<typeof lineSchema>[];
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
  placedAt: string;
}

export const statusChange = (
  orderId: string,
  status: OrderStatus,
  occurredAt: string,
  eventId: string,
): StatusChangeRow => ({
  changeId: `${orderId}#${status}`,
  eventId,
  orderId,
  status,
  statusRank: statusRanks[status],
  occurredAt,
});

export async function placedOrderRows(
  order: PlacedOrder,
  categories: CategoryLookup,
): Promise<WarehouseRows> {
  const byProduct = await categories([...new Set(order.lines.map((line) => line.productId))]);
  const orderLines: OrderLineRow[] = order.lines.map((line, index) => ({
    lineId: `${order.orderId}#${index + 1}`,
    orderId: order.orderId,
    productId: line.productId,
    category: byProduct.get(line.productId) ?? UNKNOWN_CATEGORY,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    lineTotal: line.unitPrice * line.quantity,
    placedAt: order.placedAt,
  }));
  return {
    orders: [
      {
        eventId: order.eventId,
        orderId: order.orderId,
        userId: order.userId,
        currency: order.currency,
        subtotal: order.subtotal,
        tax: order.tax,
        shipping: order.shipping,
        total: order.total,
        placedAt: order.placedAt,
      },
    ],
    orderLines,
    statusChanges: [],
  };
}

/** The status each event type moves an order to (OrderStatusChanged names it in its payload). */
const statusOfEvent: Record<string, OrderStatus | undefined> = {
  OrderPlaced: 'PENDING_PAYMENT',
  OrderPaid: 'PAID',
  PaymentDeclined: 'PAYMENT_FAILED',
  OrderCancelled: 'CANCELLED',
  OrderRefunded: 'REFUNDED',
};

export class UnsupportedEventError extends Error {
  override name = 'UnsupportedEventError';
}

/**
 * The rows one event adds. Throws UnsupportedEventError for a payload version this code does not
 * know (a newer producer), which the sink reports and skips rather than guessing.
 */
export async function rowsOfEvent(event: EventEnvelope, categories: CategoryLookup): Promise<WarehouseRows> {
  if (event.version !== 1) throw new UnsupportedEventError(`${event.type} version ${event.version}`);
  const rows = emptyRows();
  if (event.type === 'OrderPlaced') {
    const payload = orderPlacedSchema.parse(event.payload);
    Object.assign(
      rows,
      await placedOrderRows(
        {
          eventId: event.eventId,
          orderId: event.orderId,
          userId: event.userId,
          currency: payload.currency,
          lines: payload.items,
          subtotal: payload.subtotal,
          tax: payload.tax,
          shipping: payload.shipping,
          total: payload.total,
          placedAt: event.occurredAt,
        },
        categories,
      ),
    );
  }
  const status =
    event.type === 'OrderStatusChanged'
      ? statusChangedSchema.parse(event.payload).to
      : statusOfEvent[event.type];
  if (status === undefined) throw new UnsupportedEventError(`unknown event type ${event.type}`);
  if (!isOrderStatus(status)) throw new UnsupportedEventError(`unknown order status ${status}`);
  rows.statusChanges.push(statusChange(event.orderId, status, event.occurredAt, event.eventId));
  return rows;
}
