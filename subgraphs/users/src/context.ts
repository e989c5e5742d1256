import type { BaseContext } from '@cloudmart/runtime';
import type { UserLoaders } from './data/loaders';
import type { UserStore } from './data/user-store';
import type { Accounts } from './domain/accounts';

export interface Context extends BaseContext {
  users: UserStore;
  accounts: Accounts;
  /** Per-request DataLoaders: one batched database query per entity type per request. */
  loaders: UserLoaders;
}
