// What the insights subgraph offers the others: its table. Other packages import this as
// `@cloudmart/insights/contract`.
import type { TableDefinition } from '@cloudmart/runtime';

export const insightsTables = {
  /**
   * The sentiment of each review, computed by the insights subgraph after the review is written
   * (the reviews themselves are the products subgraph's): keyed by the review's id, the same id
   * as Review.id, so it is "stored with the review" by id while each subgraph owns its own data.
   * `byProduct` lists a product's analysed reviews (Product.sentiment, sentimentSummary).
   */
  reviewSentiment: {
    suffix: 'review-sentiment',
    owner: 'insights',
    partitionKey: { name: 'reviewId', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'byProduct',
        partitionKey: { name: 'productId', type: 'S' },
        sortKey: { name: 'reviewId', type: 'S' },
      },
    ],
  },
} as const satisfies Record<string, TableDefinition>;
