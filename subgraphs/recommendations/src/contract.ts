// What the recommendations subgraph offers the others: its table (its own read model; no other
// subgraph reads it). Other packages import this as `@cloudmart/recommendations/contract`.
import type { TableDefinition } from '@cloudmart/runtime';

export const recommendationsTables = {
  /**
   * The recommendations subgraph's read model of order history, built from the order events
   * (consumer group `recommendations`): one item per order with its buyer, time and products,
   * and `counts: false` once the order was cancelled or its payment declined. Scanned at start to
   * rebuild the in-memory model; the bus resumes from the group's committed offset.
   */
  recommendationPurchases: {
    suffix: 'recommendation-purchases',
    owner: 'recommendations',
    partitionKey: { name: 'orderId', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;
