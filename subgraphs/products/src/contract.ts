// What the products subgraph offers the others: its tables, the events it publishes, and the
// stock changes another subgraph may make inside its own transaction. Other packages import this
// module as `@cloudmart/products/contract`; nothing else of this package is theirs to use.
//
// The products table's contract (owner: products):
// - Partition key `id` (S), the Product's GraphQL id. Attributes other writers may touch:
//   `stock` (N): units available, an integer that never goes below 0;
//   `priceAmount` (N): price in the currency's minor units (never a float); `currency` (S): ISO 4217;
//   `version` (N): bumped by every write; `updatedAt` (S): ISO-8601 UTC.
// - Checkout (orders subgraph) takes stock inside its own TransactWriteItems with
//   stockDecrementUpdate below, so an order that would take stock below zero cancels the whole
//   transaction (the cancellation reason for that item is ConditionalCheckFailed); cancelling
//   gives it back with stockRestockUpdate (no stock condition). Nothing else is needed: the
//   products subgraph follows the table's stream (NEW_AND_OLD_IMAGES), so its search index and
//   `inStock` filter see the change within about a second.
// - Other attributes (name, images, ratings, …) belong to the products subgraph: read them, don't write them.
import { z } from 'zod';
import type { TableDefinition, TopicSpec } from '@cloudmart/runtime';

export const productsTables = {
  /** One item per product. Streamed, so the products subgraph's search index follows every writer. */
  products: {
    suffix: 'products',
    owner: 'products',
    partitionKey: { name: 'id', type: 'S' },
    stream: 'NEW_AND_OLD_IMAGES',
  },
  /** One item per SKU, claiming it for a product: written in the same transaction as the product. */
  productSkus: {
    suffix: 'product-skus',
    owner: 'products',
    partitionKey: { name: 'sku', type: 'S' },
  },
  /**
   * Reviews, by product. Sort keys: `REVIEW#<seq>` (seq = 1, 2, … per product, zero-padded, so
   * pages are BatchGetItem-able from the product's review count) and `AUTHOR#<userId>` (one per
   * author and product, the one-review-per-user guard).
   */
  productReviews: {
    suffix: 'product-reviews',
    owner: 'products',
    partitionKey: { name: 'productId', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // `byId`: a review by its GraphQL id (Review entity references). Sparse: only REVIEW# items have `id`.
    globalSecondaryIndexes: [{ name: 'byId', partitionKey: { name: 'id', type: 'S' } }],
  },
  /**
   * Product image uploads an admin was given a presigned URL for (createProductImageUpload), until
   * attached or refused; DynamoDB deletes each a day after it expired (`expiresAtEpoch`).
   */
  productImageUploads: {
    suffix: 'product-image-uploads',
    owner: 'products',
    partitionKey: { name: 'uploadId', type: 'S' },
    ttlAttribute: 'expiresAtEpoch',
  },
} as const satisfies Record<string, TableDefinition>;

/** Review n's sort key: reviews are numbered 1, 2, … per product; zero-padding keeps them in numeric order. */
export const reviewSortKey = (seq: number) => `REVIEW#${String(seq).padStart(10, '0')}`;

/** A TransactWriteItems element changing one product's stock (the DocumentClient's shape). */
export interface StockUpdate {
  Update: {
    TableName: string;
    Key: { id: string };
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeValues: { ':quantity': number; ':now': string; ':one': 1 };
  };
}

const stockUpdate = (table: string, productId: string, quantity: number, now: string, sign: '-' | '+') => ({
  TableName: table,
  Key: { id: productId },
  UpdateExpression: `SET stock = stock ${sign} :quantity, updatedAt = :now ADD version :one`,
  ExpressionAttributeValues: { ':quantity': quantity, ':now': now, ':one': 1 as const },
});

/** Takes `quantity` units, failing the whole transaction if the product is missing or has fewer. */
export const stockDecrementUpdate = (
  table: string,
  productId: string,
  quantity: number,
  now: string,
): StockUpdate => ({
  Update: {
    ...stockUpdate(table, productId, quantity, now, '-'),
    ConditionExpression: 'attribute_exists(id) AND stock >= :quantity',
  },
});

/** Gives `quantity` units back (a cancelled order's). */
export const stockRestockUpdate = (
  table: string,
  productId: string,
  quantity: number,
  now: string,
): StockUpdate => ({
  Update: stockUpdate(table, productId, quantity, now, '+'),
});

// Catalog changes on the `products.events` topic: what the products subgraph publishes after its
// writes, so that caches of product data (the gateway's entity cache) can drop what went stale.
// The envelope is the order events' (runtime events/envelope.ts) with the product's id as the key
// instead of an order's. Stock taken or given back by orders is not here: it is in the order events.
export const PRODUCT_EVENTS_TOPIC = 'products.events';

export const productEventTypes = [
  'ProductCreated',
  'ProductUpdated',
  'InventoryAdjusted',
  'ReviewAdded',
] as const;
export type ProductEventType = (typeof productEventTypes)[number];

/** As the order envelope: `version` is the payload's version; consumers dedupe on `eventId`. */
export const productEventSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  productId: z.string().min(1),
  /** Who made the change, when known (the reviewer of ReviewAdded). */
  userId: z.string().min(1).optional(),
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

export type ProductEvent = z.infer<typeof productEventSchema>;

export const productEventsTopic: TopicSpec<ProductEvent> = {
  name: PRODUCT_EVENTS_TOPIC,
  parse: (json) => productEventSchema.parse(JSON.parse(json)),
  key: (event) => event.productId,
};
