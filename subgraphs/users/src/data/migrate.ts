/**
 * Offline Prisma migrations: @prisma/schema-engine-wasm driven through a driver adapter.
 * No native schema-engine binary and no network are needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as Wasm from '@prisma/schema-engine-wasm';

type WasmModule = typeof Wasm;

let loaded: WasmModule | undefined;

// The WebAssembly global, typed for what is used here (the ES2023 lib does not declare it).
type WasmExports = Record<string, unknown>;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: WasmExports };
};

/**
 * The package entry does `import * as wasm from "./schema_engine_bg.wasm"`, which Node cannot load.
 * Load the wasm-bindgen glue (ESM; Node 24 `require()`s it) and instantiate the .wasm ourselves.
 */
function loadSchemaEngineWasm(): WasmModule {
  if (loaded) return loaded;
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const glue = require(gluePath) as WasmModule & {
    __wbg_set_wasm(exports: WasmExports): void;
  };
  const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
  // The engine arms a never-cleared ~10 s setTimeout (lock timeout) per command, which keeps
  // Node alive after we are done: hand it unref'd timers instead.
  const imports: Record<string, unknown> = { ...glue };
  for (const key of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
    imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    './schema_engine_bg.js': imports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = glue;
  return glue;
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Stand-in adapter for `diff` between two schema texts. The engine only asks for the connection
 * info and runs one version probe when it starts; anything else means a real DB is being used.
 */
const offlineAdapter = {
  provider: 'postgres',
  adapterName: 'offline',
  getConnectionInfo: () => ({ supportsRelationJoins: true }),
  queryRaw: async () => ({
    columnNames: ['exists', 'version', 'numeric_version'],
    columnTypes: [5 /* Boolean */, 7 /* Text */, 0 /* Int32 */],
    rows: [[true, 'PostgreSQL 17 (offline diff)', 170000]],
  }),
  executeRaw: () => Promise.reject(new Error('diffMigration must not write to a database')),
  executeScript: () => Promise.reject(new Error('diffMigration must not write to a database')),
  startTransaction: () => Promise.reject(new Error('diffMigration must not write to a database')),
  dispose: async () => {},
};
const offlineFactory: SqlMigrationAwareDriverAdapterFactory = {
  provider: 'postgres',
  adapterName: 'offline',
  connect: async () => offlineAdapter as never,
  connectToShadowDb: async () => offlineAdapter as never,
};

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: Wasm.SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = loadSchemaEngineWasm();
  // engine.free() does not dispose the connections the engine opened; with @prisma/adapter-pg
  // each connect() is a new pg.Pool holding the session advisory lock (next run waits 10 s).
  const opened: SqlDriverAdapter[] = [];
  const track = async (p: Promise<SqlDriverAdapter>) => {
    const adapter = await p;
    opened.push(adapter);
    return adapter;
  };
  const bound = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  });
  const log = (_line: string) => {}; // engine's debug/log callback
  // Adapter failures surface from wasm as "External error id#N"; swap in the original error.
  const unwrap = (e: unknown): unknown => {
    const id = /External error id#(\d+)/.exec(String((e as Error)?.message))?.[1];
    return (id && bound.errorRegistry.consumeError(Number(id))?.error) || e;
  };
  const engine = await SchemaEngine.new({ datamodels: undefined }, log, bound).catch((e) => {
    throw unwrap(e);
  });
  try {
    return await run(engine);
  } catch (e) {
    throw unwrap(e);
  } finally {
    engine.free();
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

/** SQL that migrates a database from `fromSchema` (null = empty database) to `toSchema`. */
export async function diffMigration(fromSchema: string | null, toSchema: string): Promise<string> {
  const target = (content: string): Wasm.DiffTarget => ({
    tag: 'schemaDatamodel',
    files: [{ path: 'schema.prisma', content }],
  });
  const result = await withEngine(offlineFactory, (engine) =>
    engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : target(fromSchema),
      to: target(toSchema),
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  return result.stdout ?? '';
}

export const MIGRATION_LOCK = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

/** Reads prisma/migrations the way the Prisma CLI does (sorted directory names). */
export function listMigrations(migrationsDir: string): Wasm.MigrationList {
  const baseDir = path.resolve(migrationsDir);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const dirs = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(baseDir, name, 'migration.sql');
      let content: Wasm.JsResult<string, string>;
      try {
        content = { tag: 'ok', value: fs.readFileSync(file, 'utf8') };
      } catch (e) {
        content = { tag: 'error', value: String(e) };
      }
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  };
}

/**
 * `prisma migrate deploy` equivalent: applies pending migrations and records them in
 * `_prisma_migrations`. Idempotent. Returns the names of the migrations applied now.
 */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string,
): Promise<string[]> {
  const migrationsList = listMigrations(migrationsDir);
  const out = await withEngine(factory, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilters }),
  );
  return out.appliedMigrationNames;
}
