import type { BaseContext } from '@cloudmart/runtime';
import type { InsightsLoaders } from './data/loaders';
import type { SalesWindowStore } from './data/sales-window-store';
import type { Insights } from './domain/insights';

export interface Context extends BaseContext {
  insights: Insights;
  /** Live sales windows (the sales-windows table). */
  salesWindows: SalesWindowStore;
  /** Per-request DataLoaders: one BatchGetItem for every review's sentiment in a request. */
  loaders: InsightsLoaders;
}
