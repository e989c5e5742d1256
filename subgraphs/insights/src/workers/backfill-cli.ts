// npm run backfill -w @cloudmart/insights: loads the orders table's history into the warehouse.
// With the DuckDB warehouse, stop the insights service first (DuckDB allows one process per file).
import { runBackfill } from './backfill';

// runBackfill logs its progress and the total (pino, LOG_LEVEL).
runBackfill().then(
  () => undefined,
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
