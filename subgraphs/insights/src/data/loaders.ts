import DataLoader from 'dataloader';
import type { SentimentItem, SentimentStore } from './sentiment-store';

export interface InsightsLoaders {
  /** Review entities from the gateway: every id of one fetch in one BatchGetItem (≤ 100 keys each). */
  sentimentByReviewId: DataLoader<string, SentimentItem | null>;
  /** Each product's analysed reviews (byProduct index: one Query per product, sent together). */
  sentimentsByProduct: DataLoader<string, SentimentItem[]>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createLoaders(store: SentimentStore): InsightsLoaders {
  return {
    sentimentByReviewId: new DataLoader(async (ids) => {
      const found = await store.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    sentimentsByProduct: new DataLoader((productIds) =>
      Promise.all(productIds.map((id) => store.byProduct(id))),
    ),
  };
}
