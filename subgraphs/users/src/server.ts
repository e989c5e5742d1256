import { defineSubgraph, loadJwtKeys } from '@cloudmart/runtime';
import { Accounts } from './domain/accounts';
import { BoundedPool } from './domain/bounded-pool';
import { loadUsersConfig, type UsersConfig } from './config';
import type { Context } from './context';
import { openDatabase } from './data/database';
import { createUserLoaders, UserStore } from './data/user-store';
import { createLoginLimits } from './domain/login-limits';
import { PasswordHasher } from './domain/passwords';
import { resolvers } from './resolvers';

async function seedDemoAccounts(accounts: Accounts, config: UsersConfig) {
  await accounts.ensureAccount({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, name: 'CloudMart Admin', role: 'ADMIN' });
  await accounts.ensureAccount({ email: config.DEMO_EMAIL, password: config.DEMO_PASSWORD, name: 'Demo Shopper', role: 'CUSTOMER' });
}

/** The users subgraph, started from environment variables (see config.ts); tests read its `database`. */
export const start = defineSubgraph({
  name: 'users',
  loadConfig: loadUsersConfig,
  dirname: __dirname,
  resolvers,
  async open({ config, log, resources }) {
    const keys = await loadJwtKeys(config, { needPrivateKey: true });
    const database = resources.add(await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }));
    log.info({ store: database.kind }, 'database ready');
    const users = new UserStore(database.prisma);
    const hasher = new PasswordHasher(
      { memoryKiB: config.PASSWORD_MEMORY_KIB, timeCost: config.PASSWORD_TIME_COST, parallelism: config.PASSWORD_PARALLELISM },
      new BoundedPool(config.PASSWORD_HASH_CONCURRENCY, config.PASSWORD_HASH_QUEUE, config.PASSWORD_HASH_MAX_WAIT_MS),
    );
    const loginLimits = resources.add(createLoginLimits(config, log));
    const accounts = new Accounts(users, keys, hasher, loginLimits);
    if (config.SEED_DEMO_DATA) await seedDemoAccounts(accounts, config);
    return {
      context: (base): Context => ({ ...base, users, accounts, loaders: createUserLoaders(users) }),
      readiness: database.ping,
      extras: { database },
    };
  },
});

export type UsersServer = Awaited<ReturnType<typeof start>>;
