// The warehouse on BigQuery (@google-cloud/bigquery). open() creates the dataset and the
// day-partitioned tables when missing; load() streams rows with insertAll, each row's insertId
// being its key (so BigQuery drops a repeat within its de-duplication window, and the queries
// de-duplicate on the same key for anything older). Rows BigQuery rejects in a partial failure
// are retried by the SDK with the same insertId; if they still fail, load() throws and the sink
// gets the event again.
import { BigQuery, type BigQueryOptions, type Dataset } from '@google-cloud/bigquery';
import { bigqueryDialect } from './dialect';
import type { Query } from './queries';
import { SqlWarehouse } from './sql-warehouse';
import { warehouseTables, type WarehouseTable } from './tables';
import type { WarehouseRows } from './warehouse';

export interface BigQueryWarehouseOptions {
  projectId: string;
  dataset: string;
  location: string;
  /** A local fake's root URL in tests; unset in GCP. */
  apiEndpoint?: string;
  /** Credentials; unset: Application Default Credentials (Workload Identity on GKE). */
  authClient?: BigQueryOptions['authClient'];
}

/** Rows per insertAll request (BigQuery's limit is 50,000 rows and 10 MB; stay well below). */
const INSERT_CHUNK = 500;

const alreadyExists = (error: unknown) => (error as { code?: unknown }).code === 409;

export class BigQueryWarehouse extends SqlWarehouse {
  private readonly bigquery: BigQuery;
  private readonly dataset: Dataset;

  constructor(private readonly options: BigQueryWarehouseOptions) {
    super(bigqueryDialect(options.projectId, options.dataset));
    this.bigquery = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...(options.authClient ? { authClient: options.authClient } : {}),
    });
    this.dataset = this.bigquery.dataset(options.dataset, { location: options.location });
  }

  async open(): Promise<void> {
    const [datasetExists] = await this.dataset.exists();
    if (!datasetExists) {
      await this.dataset.create({ location: this.options.location }).catch((error: unknown) => {
        if (!alreadyExists(error)) throw error;
      });
    }
    for (const table of warehouseTables) {
      const [exists] = await this.dataset.table(table.name).exists();
      if (exists) continue;
      await this.dataset
        .table(table.name)
        .create({
          schema: {
            fields: table.columns.map((column) => ({
              name: column.name,
              type: column.type,
              mode: 'NULLABLE',
            })),
          },
          clustering: { fields: [table.key] },
          timePartitioning: { type: 'DAY', field: table.partitionBy },
        })
        .catch((error: unknown) => {
          if (!alreadyExists(error)) throw error;
        });
    }
  }

  async load(rows: WarehouseRows): Promise<void> {
    for (const table of warehouseTables) await this.insert(table, table.rowsOf(rows));
  }

  async close(): Promise<void> {}

  protected async run(query: Query): Promise<Record<string, unknown>[]> {
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query.params)) {
      params[name] = value instanceof Date ? BigQuery.timestamp(value) : value;
    }
    const [rows] = await this.bigquery.query({ query: query.sql, params, location: this.options.location });
    return rows as Record<string, unknown>[];
  }

  private async insert<Row>(table: WarehouseTable<Row>, rows: Row[]) {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK).map((row) => {
        const json: Record<string, string | number> = {};
        for (const column of table.columns) json[column.name] = column.value(row);
        return { insertId: String(json[table.key]), json };
      });
      // raw: the rows carry their own insertId, which the SDK keeps when it retries failed rows.
      await this.dataset.table(table.name).insert(chunk, { raw: true });
    }
  }
}
