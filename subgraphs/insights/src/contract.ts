// What the insights subgraph offers the others: its tables, and the topic it publishes closed
// live sales windows on. Other packages import this as `@cloudmart/insights/contract`.
import { z } from 'zod';
import type { TableDefinition, TopicSpec } from '@cloudmart/runtime';

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
  /**
   * Live sales windows (src/data/sales-window-store.ts). One partition per window,
   * `pk` = `W#<windowStart>`: the header (`sk` = `#`: totals, late events, closedAt, revision) and
   * a row per category (`sk` = `C#<category>`); and one item per counted event
   * (`pk` = `E#<eventId>`, `sk` = `#`), the de-duplication record. Two sparse indexes over the
   * headers, by `windowStart`: `pending` (open, or closed with a change not yet published) and
   * `closed` (every closed window, newest first for liveSalesWindows). Items expire a week after
   * their window (`expiresAt`).
   */
  salesWindows: {
    suffix: 'sales-windows',
    owner: 'insights',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'pending', partitionKey: { name: 'pendingKey', type: 'S' }, sortKey: { name: 'windowStart', type: 'S' } },
      { name: 'closed', partitionKey: { name: 'closedKey', type: 'S' }, sortKey: { name: 'windowStart', type: 'S' } },
    ],
    ttlAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableDefinition>;

// Closed live sales windows on the `insights.sales-windows` topic, keyed by the window's start:
// what the gateway's `liveSales` subscription follows. An event names the window; readers fetch
// its figures (Query.salesWindow), so access is checked per reader. `revision` grows with each
// change of the window after it was first published (late events counted against it), and the
// eventId is `<windowStart>#<revision>`: the same change published twice (two replicas closing
// the same window, a crash before the publication was recorded) has the same eventId.
export const SALES_WINDOWS_TOPIC = 'insights.sales-windows';

export const salesWindowEventTypes = ['SalesWindowClosed', 'SalesWindowUpdated'] as const;

export const salesWindowEventSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  windowStart: z.iso.datetime(),
  windowEnd: z.iso.datetime(),
  revision: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
});

export type SalesWindowEvent = z.infer<typeof salesWindowEventSchema>;

export const salesWindowsTopic: TopicSpec<SalesWindowEvent> = {
  name: SALES_WINDOWS_TOPIC,
  parse: (json) => salesWindowEventSchema.parse(JSON.parse(json)),
  key: (event) => event.windowStart,
};
