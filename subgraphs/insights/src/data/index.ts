import { openDynamoData, type DynamoConfig } from '@cloudmart/runtime';
import { insightsTableRoles } from './dynamo';
import { OrderHistoryReader } from './order-history';
import { ProductCategories } from './product-categories';
import { ReviewReader } from './review-reader';
import { SalesWindowStore } from './sales-window-store';
import { SentimentStore } from './sentiment-store';

/** What insights keeps in DynamoDB, and what it reads from the other subgraphs' tables. */
export type InsightsData = Awaited<ReturnType<typeof openInsightsData>>;

/** Connects and creates insights' own tables if missing; the others belong to their subgraphs. */
export const openInsightsData = (config: DynamoConfig) =>
  openDynamoData(config, 'insights', insightsTableRoles, (client, tables) => ({
    sentiment: new SentimentStore(client, tables.sentiment),
    salesWindows: new SalesWindowStore(client, tables.salesWindows),
    reviews: new ReviewReader(client, tables.reviews),
    categories: new ProductCategories(client, tables.products),
    orderHistory: new OrderHistoryReader(client, tables.orders),
  }));
