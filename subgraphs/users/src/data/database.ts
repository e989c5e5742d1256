import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQueryable,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../__generated__/prisma/client';
import { applyMigrations } from './migrate';

export const migrationsDir = path.join(__dirname, '..', '..', 'prisma', 'migrations');

/** Where the in-process PGlite database keeps its files under DATA_DIR. */
export const pgliteDataDir = (dataDir: string) => path.join(dataDir, 'pglite');

/**
 * pglite-prisma-adapter 0.7.2 does not await `pglite.exec()` in executeScript, so a failing
 * migration would be recorded as applied and its error lost. This subclass awaits it.
 */
class AwaitingPGliteFactory extends PrismaPGlite {
  constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script) => {
      await this.pglite.exec(script).catch(onError);
    };
    return adapter;
  }
}

/** Counts the SQL statements sent to the database, for tests that assert batching. */
export interface SqlCounter {
  statements: number;
}

function countingFactory(
  inner: SqlMigrationAwareDriverAdapterFactory,
  counter: SqlCounter,
): SqlMigrationAwareDriverAdapterFactory {
  const counted = <T extends SqlQueryable>(queryable: T): T => {
    const wrapped = Object.create(queryable) as T;
    wrapped.queryRaw = (query) => {
      counter.statements += 1;
      return queryable.queryRaw(query);
    };
    wrapped.executeRaw = (query) => {
      counter.statements += 1;
      return queryable.executeRaw(query);
    };
    return wrapped;
  };
  const wrapAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const wrapped = counted(adapter);
    wrapped.startTransaction = async (isolation) => counted(await adapter.startTransaction(isolation));
    return wrapped;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => wrapAdapter(await inner.connect()),
    connectToShadowDb: async () => wrapAdapter(await inner.connectToShadowDb()),
  };
}

export interface Database {
  prisma: PrismaClient;
  /** SQL statements issued since start (reset it freely in tests). */
  sql: SqlCounter;
  kind: 'postgresql' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the users database and brings its schema up to date: PostgreSQL through
 * @prisma/adapter-pg when a URL is given, otherwise PGlite (PostgreSQL compiled to WebAssembly,
 * in this process) with its files under `dataDir/pglite`. Migrations from prisma/migrations are
 * applied either way, and recorded in `_prisma_migrations` as `prisma migrate deploy` does.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver = async () => {};
  let kind: Database['kind'];
  if (options.databaseUrl) {
    factory = new PrismaPg({ connectionString: options.databaseUrl });
    kind = 'postgresql';
  } else {
    const dir = pgliteDataDir(options.dataDir);
    mkdirSync(dir, { recursive: true });
    const pglite = await PGlite.create(dir);
    factory = new AwaitingPGliteFactory(pglite);
    closeDriver = () => pglite.close();
    kind = 'pglite';
  }
  await applyMigrations(factory, migrationsDir);
  const sql: SqlCounter = { statements: 0 };
  const prisma = new PrismaClient({ adapter: countingFactory(factory, sql) });
  return {
    prisma,
    sql,
    kind,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
