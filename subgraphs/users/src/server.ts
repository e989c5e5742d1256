import path from 'node:path';
import {
  createLogger,
  loadInternalTokenKeys,
  loadJwtKeys,
  loadTypeDefs,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import { Accounts } from './domain/accounts';
import { BoundedPool } from './domain/bounded-pool';
import { loadUsersConfig, type UsersConfig } from './config';
import type { Context } from './context';
import { openDatabase, type Database } from './data/database';
import { createUserLoaders, UserStore } from './data/user-store';
import { createLoginLimits } from './domain/login-limits';
import { PasswordHasher } from './domain/passwords';
import { resolvers } from './resolvers';

export interface UsersServer extends RunningServer {
  database: Database;
}

async function seedDemoAccounts(accounts: Accounts, config: UsersConfig) {
  await accounts.ensureAccount({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, name: 'CloudMart Admin', role: 'ADMIN' });
  await accounts.ensureAccount({ email: config.DEMO_EMAIL, password: config.DEMO_PASSWORD, name: 'Demo Shopper', role: 'CUSTOMER' });
}

/** Starts the users subgraph from environment variables (see config.ts). */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<UsersServer> {
  const config = loadUsersConfig(env);
  const log = createLogger('users', config.LOG_LEVEL);
  const keys = await loadJwtKeys(config, { needPrivateKey: true });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  log.info({ store: database.kind }, 'database ready');
  const store = new UserStore(database.prisma);
  const hasher = new PasswordHasher(
    { memoryKiB: config.PASSWORD_MEMORY_KIB, timeCost: config.PASSWORD_TIME_COST, parallelism: config.PASSWORD_PARALLELISM },
    new BoundedPool(config.PASSWORD_HASH_CONCURRENCY, config.PASSWORD_HASH_QUEUE, config.PASSWORD_HASH_MAX_WAIT_MS),
  );
  const loginLimits = createLoginLimits(config, log);
  const accounts = new Accounts(store, keys, hasher, loginLimits);
  if (config.SEED_DEMO_DATA) await seedDemoAccounts(accounts, config);

  const server = await startSubgraphServer<Context>({
    name: 'users',
    typeDefs: loadTypeDefs(path.join(__dirname, '..', 'schema.graphql')),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    production: config.NODE_ENV === 'production',
    gatewayKeys: await loadInternalTokenKeys(config),
    log,
    createContext: (base) => ({ ...base, users: store, accounts, loaders: createUserLoaders(store) }),
    readiness: database.ping,
    onStop: async () => {
      await loginLimits.close();
      await database.close();
    },
  });
  return { ...server, database };
}
