import { tableName } from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import { insightsTables } from '../contract';

/** The table insights owns, and the other subgraphs' tables it reads (never writes). */
export interface InsightsTables {
  /** Owned: review id → sentiment. */
  sentiment: string;
  /** Read only (products subgraph): categories, and the stream that announces new reviews. */
  products: string;
  /** Read only (products subgraph): the reviews' text. */
  reviews: string;
  /** Read only (orders subgraph): history for the backfill. */
  orders: string;
}

export const insightsTableDefinitions = Object.values(insightsTables);

export const insightsTablesFor = (prefix: string): InsightsTables => ({
  sentiment: tableName(prefix, insightsTables.reviewSentiment),
  products: tableName(prefix, productsTables.products),
  reviews: tableName(prefix, productsTables.productReviews),
  orders: tableName(prefix, ordersTables.orders),
});
