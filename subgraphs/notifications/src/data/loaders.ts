import DataLoader from 'dataloader';
import type { PreferenceItem } from './items';
import type { PreferenceStore } from './preference-store';

export interface NotificationLoaders {
  /** Every User.notificationPreferences in one gateway fetch is one BatchGetItem. */
  preferencesByUserId: DataLoader<string, PreferenceItem | null>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createLoaders(preferences: PreferenceStore): NotificationLoaders {
  return {
    preferencesByUserId: new DataLoader(async (userIds) => {
      const found = new Map((await preferences.getMany(userIds)).map((item) => [item.userId, item]));
      return userIds.map((id) => found.get(id) ?? null);
    }),
  };
}
