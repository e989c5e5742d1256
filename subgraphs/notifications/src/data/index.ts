export { openNotificationsData, type NotificationsData, type NotificationTables } from './dynamo';
