import type { TableNames } from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import { insightsTables } from '../contract';

/** The table insights owns, and the other subgraphs' tables it reads (never writes), by role. */
export const insightsTableRoles = {
  /** Owned: review id → sentiment. */
  sentiment: insightsTables.reviewSentiment,
  /** Owned: live sales windows and the events counted into them. */
  salesWindows: insightsTables.salesWindows,
  /** Read only (products subgraph): categories, and the stream that announces new reviews. */
  products: productsTables.products,
  /** Read only (products subgraph): the reviews' text. */
  reviews: productsTables.productReviews,
  /** Read only (orders subgraph): history for the backfill, a paid order's lines for the live windows. */
  orders: ordersTables.orders,
};
export type InsightsTables = TableNames<typeof insightsTableRoles>;
