import type { BaseContext } from '@cloudmart/runtime';
import type { InsightsLoaders } from './data/loaders';
import type { Insights } from './domain/insights';

export interface Context extends BaseContext {
  insights: Insights;
  /** Per-request DataLoaders: one BatchGetItem for every review's sentiment in a request. */
  loaders: InsightsLoaders;
}
