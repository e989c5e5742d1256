export {
  notificationsDataOfExistingTables,
  openNotificationsData,
  type NotificationsData,
  type NotificationTables,
} from './dynamo';
