import DataLoader from 'dataloader';
import type { Address, User } from '../__generated__/prisma/client';
import type { UserStore } from './user-store';

export interface UserLoaders {
  userById: DataLoader<string, User | null>;
  addressesByUserId: DataLoader<string, Address[]>;
  addressById: DataLoader<string, Address | null>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createUserLoaders(store: UserStore): UserLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const users = new Map((await store.findByIds(ids)).map((user) => [user.id, user]));
      return ids.map((id) => users.get(id) ?? null);
    }),
    addressesByUserId: new DataLoader(async (userIds) => {
      const byUser = new Map<string, Address[]>(userIds.map((id) => [id, []]));
      for (const address of await store.addressesOf(userIds)) byUser.get(address.userId)?.push(address);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
    addressById: new DataLoader(async (ids) => {
      const addresses = new Map((await store.findAddressesByIds(ids)).map((address) => [address.id, address]));
      return ids.map((id) => addresses.get(id) ?? null);
    }),
  };
}
