// What the notifications subgraph offers the others: its tables, and what it sends. Other packages
// import this module as `@cloudmart/notifications/contract`. It consumes `orders.events` (the orders
// subgraph's contract) in its own consumer group, and publishes nothing.
import type { TableDefinition } from '@cloudmart/runtime';

/** Who is told what, and when (which order event makes which notification: domain/messages.ts). */
export const notificationKinds = [
  'ORDER_CONFIRMED',
  'PAYMENT_FAILED',
  'ORDER_SHIPPED',
  'ORDER_DELIVERED',
  'ORDER_CANCELLED',
  'ORDER_REFUNDED',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationChannels = ['EMAIL', 'SMS'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** The consumer group of the notifier on `orders.events` (in the cluster, or as a Lambda). */
export const NOTIFIER_CONSUMER_GROUP = 'notifications';

export const notificationsTables = {
  /**
   * One item per event and channel: `id` is `<eventId>:<channel>`, so the conditional put that
   * claims it is what makes a notification exactly-once however often the event is delivered.
   * It holds the rendered message (so a retry or an admin's resend sends what the first attempt
   * would have), its status (PENDING until the provider accepted it, then SENT; FAILED once the
   * retries are used up: the dead letter), attempts and the last error.
   *
   * `byUser` lists a user's notifications newest first (User.notifications). `failed` (sparse: only
   * FAILED items carry `failedShard`) is the dead-letter list (Query.failedNotifications), newest first.
   */
  notifications: {
    suffix: 'notifications',
    owner: 'notifications',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
      { name: 'failed', partitionKey: { name: 'failedShard', type: 'S' }, sortKey: { name: 'failedAt', type: 'S' } },
    ],
  },
  /** One item per user who changed a default: SMS opt-in and the phone number (E.164). */
  notificationPreferences: {
    suffix: 'notification-preferences',
    owner: 'notifications',
    partitionKey: { name: 'userId', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;
