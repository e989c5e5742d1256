// Everything that differs between the warehouse's two SQL dialects, and nothing else: the SQL in
// queries.ts and the table layouts in tables.ts are written once against this interface.
import type { Granularity } from './warehouse';

export type ColumnType = 'STRING' | 'INT64' | 'TIMESTAMP';

export interface Dialect {
  name: 'duckdb' | 'bigquery';
  /** A table's name as it appears in FROM. */
  table(name: string): string;
  /** A named query parameter. */
  param(name: string): string;
  /** A named TIMESTAMP parameter (the adapters bind a Date). */
  timestampParam(name: string): string;
  /** The start of the period (UTC) a TIMESTAMP expression falls in. */
  truncate(expression: string, granularity: Granularity): string;
  /** A TIMESTAMP as ISO-8601 text in UTC, e.g. 2026-11-23T00:00:00Z. */
  isoText(expression: string): string;
  /** An integer aggregate as a plain 64-bit integer (DuckDB's SUM of BIGINT is a HUGEINT). */
  int64(expression: string): string;
  columnType(type: ColumnType): string;
}

const ISO_FORMAT = '%Y-%m-%dT%H:%M:%SZ';

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  table: (name) => `"${name}"`,
  param: (name) => `$${name}`,
  timestampParam: (name) => `CAST($${name} AS TIMESTAMP)`,
  // DuckDB's 'week' is the ISO week: it starts on Monday.
  truncate: (expression, granularity) => `date_trunc('${granularity.toLowerCase()}', ${expression})`,
  isoText: (expression) => `strftime(${expression}, '${ISO_FORMAT}')`,
  int64: (expression) => `CAST(${expression} AS BIGINT)`,
  columnType: (type) => ({ STRING: 'VARCHAR', INT64: 'BIGINT', TIMESTAMP: 'TIMESTAMP' })[type],
};

export function bigqueryDialect(project: string, dataset: string): Dialect {
  return {
    name: 'bigquery',
    table: (name) => `\`${project}.${dataset}.${name}\``,
    param: (name) => `@${name}`,
    timestampParam: (name) => `@${name}`,
    // BigQuery's WEEK starts on Sunday; ISOWEEK on Monday, as DuckDB's.
    truncate: (expression, granularity) =>
      `TIMESTAMP_TRUNC(${expression}, ${granularity === 'WEEK' ? 'ISOWEEK' : granularity})`,
    isoText: (expression) => `FORMAT_TIMESTAMP('${ISO_FORMAT}', ${expression}, 'UTC')`,
    int64: (expression) => `CAST(${expression} AS INT64)`,
    columnType: (type) => type,
  };
}
