import { defineSubgraph, internalApiSecret, loadJwtKeys } from '@cloudmart/runtime';
import { loadUsersConfig } from './config';
import type { Context } from './context';
import { openDatabase } from './data/database';
import { createUserLoaders } from './data/loaders';
import { UserStore } from './data/user-store';
import { Accounts } from './domain/accounts';
import { createLoginLimits } from './domain/login-limits';
import { createPasswordHasher } from './domain/passwords';
import { internalUserRoutes } from './http/internal-api';
import { resolvers } from './resolvers';
import { seedDemoAccounts } from './seed';

/** The users subgraph, started from environment variables (see config.ts); tests read its `database`. */
export const start = defineSubgraph({
  name: 'users',
  loadConfig: loadUsersConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, resources }) {
    const keys = await loadJwtKeys(config, { needPrivateKey: true });
    const database = resources.add(
      await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }),
    );
    log.info({ store: database.kind }, 'database ready');
    const users = new UserStore(database.prisma);
    const loginLimits = resources.add(createLoginLimits(config, log));
    const accounts = new Accounts(users, keys, createPasswordHasher(config), loginLimits);
    if (config.SEED_DEMO_DATA) await seedDemoAccounts(accounts, config);
    return {
      context: (base): Context => ({ ...base, users, accounts, loaders: createUserLoaders(users) }),
      routes: internalUserRoutes(users, { secret: internalApiSecret(config), log }),
      readiness: database.ping,
      extras: { database },
    };
  },
});

export type UsersServer = Awaited<ReturnType<typeof start>>;
