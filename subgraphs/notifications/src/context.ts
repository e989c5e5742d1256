import type { BaseContext } from '@cloudmart/runtime';
import type { NotificationLoaders } from './data/loaders';
import type { Notifications } from './domain/notifications';

export interface Context extends BaseContext {
  notifications: Notifications;
  /** Per-request DataLoaders: one BatchGetItem per entity type per request. */
  loaders: NotificationLoaders;
}
