// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { NotificationItem } from './data/items';
import type { PreferencesView } from './domain/notifications';

/** Only the key: the users subgraph owns the rest. */
export interface UserModel {
  id: string;
}

export type NotificationModel = NotificationItem;
export type NotificationPreferencesModel = PreferencesView;
