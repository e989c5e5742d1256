import type { BaseContext } from '@cloudmart/runtime';
import type { Catalog } from './domain/catalog';
import type { ProductMedia } from './domain/media';
import type { MediaStorage } from './services/media-storage';
import type { ProductLoaders } from './data/loaders';

export interface Context extends BaseContext {
  catalog: Catalog;
  media: ProductMedia;
  /** Turns stored media keys into the URLs shoppers' browsers load. */
  mediaStorage: Pick<MediaStorage, 'publicUrl'>;
  /** Per-request DataLoaders: one BatchGetItem per entity type per request. */
  loaders: ProductLoaders;
}
