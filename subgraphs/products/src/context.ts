import type { BaseContext } from '@cloudmart/runtime';
import type { Catalog } from './domain/catalog';
import type { ProductLoaders } from './data/loaders';

export interface Context extends BaseContext {
  catalog: Catalog;
  /** Per-request DataLoaders: one BatchGetItem per entity type per request. */
  loaders: ProductLoaders;
}
