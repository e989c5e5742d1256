// The zero-install warehouse: DuckDB, embedded in the process, in one file
// (DATA_DIR/insights/warehouse.duckdb). Idempotent loads: every table's key is its PRIMARY KEY
// and rows go in with INSERT OR IGNORE, so an event delivered twice changes nothing.
//
// DuckDB lets one process at a time open a database file. Within a process, every
// DuckDbWarehouse on the same file shares one database through DuckDB's instance cache (each has
// its own connection), so the service and an in-process backfill can work side by side; another
// process (the backfill CLI while the service runs) is refused with a lock error.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { duckdbDialect } from './dialect';
import type { Query } from './queries';
import { SqlWarehouse } from './sql-warehouse';
import { warehouseTables, type WarehouseTable } from './tables';
import type { WarehouseRows } from './warehouse';

const stageName = <Row>(table: WarehouseTable<Row>) => `stage_${table.name}`;

/**
 * How many times a load that lost a race with another connection is tried in all, and the first
 * pause before it is tried again (doubling): the other transaction must have ended by then.
 */
const LOAD_ATTEMPTS = 8;
const LOAD_RETRY_MS = 10;

/**
 * Within one load a duplicate key cannot arise (the batch is de-duplicated, committed rows are
 * ignored): it means another connection's transaction holds or committed the same key, found at
 * insert or at commit; or DuckDB reports a write-write conflict.
 */
function lostToAnotherConnection(error: unknown): boolean {
  // Not `instanceof Error`: the addon's errors may come from another realm (jest's, for one).
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  return /^(Constraint Error: Duplicate key|TransactionContext Error: .*(duplicate key|conflict))/i.test(message);
}

/** DuckDB's TIMESTAMP is zone-less: we store UTC, as 'YYYY-MM-DD HH:MM:SS.sss'. */
const utcText = (value: Date | string) => new Date(value).toISOString().replace('T', ' ').replace('Z', '');

export class DuckDbWarehouse extends SqlWarehouse {
  private instance?: DuckDBInstance;
  /** From the instance cache: other warehouses of this process may be using it, so it is not closed here. */
  private shared = false;
  private connection?: DuckDBConnection;
  /** DuckDB runs one statement at a time per connection: loads and queries take turns. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `file`: a path, or ':memory:'. */
  constructor(private readonly file: string) {
    super(duckdbDialect);
  }

  async open(): Promise<void> {
    if (this.file === ':memory:') this.instance = await DuckDBInstance.create(this.file);
    else {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.instance = await DuckDBInstance.fromCache(this.file);
      this.shared = true;
    }
    this.connection = await this.instance.connect();
    for (const table of warehouseTables) {
      const columns = table.columns.map((column) => `${column.name} ${this.dialect.columnType(column.type)}`);
      await this.connection.run(
        `CREATE TABLE IF NOT EXISTS ${this.dialect.table(table.name)} (${columns.join(', ')}, PRIMARY KEY (${table.key}))`,
      );
      // Timestamps are staged as text and cast on the way in.
      const staged = table.columns.map(
        (column) => `${column.name} ${column.type === 'INT64' ? 'BIGINT' : 'VARCHAR'}`,
      );
      await this.connection.run(`CREATE TEMP TABLE IF NOT EXISTS ${stageName(table)} (${staged.join(', ')})`);
    }
  }

  /**
   * One transaction. Another connection to the same file (an in-process backfill beside the sink)
   * may insert some of the same keys while it runs: DuckDB then refuses one of the two with a
   * duplicate key, which INSERT OR IGNORE does not prevent across transactions. Run again once the
   * other has committed, it sees those rows and ignores them.
   */
  async load(rows: WarehouseRows): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.serial(async (connection) => {
          await connection.run('BEGIN TRANSACTION');
          try {
            for (const table of warehouseTables) await this.insert(connection, table, table.rowsOf(rows));
            await connection.run('COMMIT');
          } catch (error) {
            await connection.run('ROLLBACK').catch(() => undefined); // DuckDB may have ended it already
            throw error;
          }
        });
        return;
      } catch (error) {
        if (attempt >= LOAD_ATTEMPTS || !lostToAnotherConnection(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection?.closeSync();
    if (!this.shared) this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }

  protected async run(query: Query): Promise<Record<string, unknown>[]> {
    const params: Record<string, DuckDBValue> = {};
    for (const [name, value] of Object.entries(query.params)) {
      params[name] = value instanceof Date ? utcText(value) : value;
    }
    return this.serial(async (connection) => {
      const reader = await connection.runAndReadAll(query.sql, params);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    });
  }

  /**
   * Rows go through a per-connection staging table filled with DuckDB's appender (far faster than
   * INSERT … VALUES for the backfill's large batches), then INSERT OR IGNORE into the table: a key
   * already there, or twice in the batch, is ignored.
   */
  private async insert<Row>(connection: DuckDBConnection, table: WarehouseTable<Row>, rows: Row[]) {
    if (rows.length === 0) return;
    const stage = stageName(table);
    const appender = await connection.createAppender(stage, 'main', 'temp');
    try {
      for (const row of rows) {
        for (const column of table.columns) {
          const value = column.value(row);
          if (column.type === 'INT64') appender.appendBigInt(BigInt(value));
          else appender.appendVarchar(column.type === 'TIMESTAMP' ? utcText(String(value)) : String(value));
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const columns = table.columns.map((column) => column.name);
    const selected = table.columns.map((column) =>
      column.type === 'TIMESTAMP' ? `CAST(${column.name} AS TIMESTAMP)` : column.name,
    );
    await connection.run(
      `INSERT OR IGNORE INTO ${this.dialect.table(table.name)} (${columns.join(', ')}) ` +
        `SELECT ${selected.join(', ')} FROM temp.main.${stage} WHERE TRUE ` +
        `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${table.key}) = 1`,
    );
    await connection.run(`DELETE FROM temp.main.${stage}`);
  }

  private serial<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection) return Promise.reject(new Error('the DuckDB warehouse is not open'));
    const next = this.queue.then(
      () => work(connection),
      () => work(connection),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }
}
