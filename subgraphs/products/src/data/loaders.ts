import DataLoader from 'dataloader';
import type { ProductItem, ReviewItem } from './items';
import type { ProductStore } from './product-store';
import type { ReviewKey, ReviewStore } from './review-store';

export interface ProductLoaders {
  /** Product entities: all ids asked for in one tick go out as one BatchGetItem (≤ 100 keys each). */
  productById: DataLoader<string, ProductItem | null>;
  /** Reviews by (product, number): one BatchGetItem for the reviews of every product on a page. */
  reviewByKey: DataLoader<ReviewKey, ReviewItem | null, string>;
  /** Review entity references from other subgraphs, by id: one batch per gateway fetch. */
  reviewById: DataLoader<string, ReviewItem | null>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createLoaders(products: ProductStore, reviews: ReviewStore): ProductLoaders {
  return {
    productById: new DataLoader(async (ids) => {
      const found = new Map((await products.getMany(ids)).map((item) => [item.id, item]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    reviewByKey: new DataLoader(
      async (keys) => {
        const found = new Map(
          (await reviews.getMany(keys)).map((item) => [`${item.productId}#${item.seq}`, item]),
        );
        return keys.map((key) => found.get(`${key.productId}#${key.seq}`) ?? null);
      },
      { cacheKeyFn: (key) => `${key.productId}#${key.seq}` },
    ),
    reviewById: new DataLoader(async (ids) => {
      const found = new Map((await reviews.getByIds(ids)).map((item) => [item.id, item]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
