import path from 'node:path';
import type { InsightsConfig } from '../../config';
import { BigQueryWarehouse } from './bigquery';
import { DuckDbWarehouse } from './duckdb';
import type { Warehouse } from './warehouse';

// The local warehouse and the rows it loads, for the warehouse bench (`@cloudmart/insights/warehouse`).
export { DuckDbWarehouse } from './duckdb';
export { emptyRows, type WarehouseRows } from './warehouse';

/** The warehouse WAREHOUSE names (not yet opened). */
export function createWarehouse(config: InsightsConfig): Warehouse {
  if (config.WAREHOUSE === 'bigquery') {
    return new BigQueryWarehouse({
      projectId: config.BIGQUERY_PROJECT!,
      dataset: config.BIGQUERY_DATASET,
      location: config.BIGQUERY_LOCATION,
      apiEndpoint: config.BIGQUERY_API_ENDPOINT,
    });
  }
  return new DuckDbWarehouse(path.join(config.DATA_DIR, 'insights', 'warehouse.duckdb'));
}
