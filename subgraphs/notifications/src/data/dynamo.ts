import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  openDynamoData,
  tableNames,
  type DynamoConfig,
  type TableNames,
} from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import { notificationsTables } from '../contract';
import { NotificationStore } from './notification-store';
import { OrderReader } from './order-reader';
import { PreferenceStore } from './preference-store';

/**
 * The tables by role: this subgraph's own two, and two it only reads by their owners' contracts —
 * the orders table (an order's lines, totals and shipping address id, for the messages) and the
 * products table (the products' names).
 */
const notificationTableRoles = {
  notifications: notificationsTables.notifications,
  preferences: notificationsTables.notificationPreferences,
  orders: ordersTables.orders,
  products: productsTables.products,
};
export type NotificationTables = TableNames<typeof notificationTableRoles>;

const stores = (client: DynamoDBDocumentClient, tables: NotificationTables) => ({
  notifications: new NotificationStore(client, tables.notifications),
  preferences: new PreferenceStore(client, tables.preferences),
  orders: new OrderReader(client, tables.orders, tables.products),
});

export type NotificationsData = Awaited<ReturnType<typeof openNotificationsData>>;

/** Connects, creates this subgraph's tables if they are missing, and returns the stores. */
export const openNotificationsData = (config: DynamoConfig) =>
  openDynamoData(config, 'notifications', notificationTableRoles, stores);

/**
 * The same stores without touching the tables' setup, for the Lambda: in AWS the tables are
 * Terraform's, and the function's role may read and write items but not describe or create tables.
 */
export function notificationsDataOfExistingTables(config: DynamoConfig): NotificationsData {
  const client = createDocumentClient(config);
  const tables = tableNames(config.DYNAMODB_TABLE_PREFIX, notificationTableRoles);
  return { ...stores(client, tables), client, tables, close: () => client.destroy() };
}
