import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, type DynamoConfig } from '@cloudmart/runtime';
import { insightsTableDefinitions, insightsTablesFor, type InsightsTables } from './dynamo';
import { OrderHistoryReader } from './order-history';
import { ProductCategories } from './product-categories';
import { ReviewReader } from './review-reader';
import { SentimentStore } from './sentiment-store';

/** What insights keeps in DynamoDB, and what it reads from the other subgraphs' tables. */
export interface InsightsData {
  client: DynamoDBDocumentClient;
  tables: InsightsTables;
  sentiment: SentimentStore;
  reviews: ReviewReader;
  categories: ProductCategories;
  orderHistory: OrderHistoryReader;
  close(): void;
}

/** Connects and creates insights' own table if missing; the others belong to their subgraphs. */
export async function openInsightsData(config: DynamoConfig): Promise<InsightsData> {
  const client = createDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, insightsTableDefinitions);
  const tables = insightsTablesFor(config.DYNAMODB_TABLE_PREFIX);
  return {
    client,
    tables,
    sentiment: new SentimentStore(client, tables.sentiment),
    reviews: new ReviewReader(client, tables.reviews),
    categories: new ProductCategories(client, tables.products),
    orderHistory: new OrderHistoryReader(client, tables.orders),
    close: () => client.destroy(),
  };
}
