import { z } from 'zod';

/**
 * The stored shapes, as they are in DynamoDB. Items read back (from GetItem, BatchGetItem, Scan or
 * the stream) are parsed with these schemas, so a malformed item fails loudly at the boundary.
 */
export const productImageSchema = z.object({ url: z.string(), alt: z.string() });

export const productItemSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  brand: z.string(),
  category: z.string(),
  /** Minor units. */
  priceAmount: z.number().int(),
  currency: z.string(),
  images: z.array(productImageSchema),
  /** Units available; conditional writes keep it ≥ 0. */
  stock: z.number().int(),
  ratingSum: z.number().int(),
  ratingCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every write, so the search index never replaces a newer copy with an older one. */
  version: z.number().int(),
});

export type ProductItem = z.infer<typeof productItemSchema>;
export type ProductImage = z.infer<typeof productImageSchema>;

export const reviewItemSchema = z.object({
  productId: z.string(),
  /** `REVIEW#<seq>`: see productsTables.productReviews in contract.ts. */
  sk: z.string(),
  seq: z.number().int(),
  id: z.string(),
  userId: z.string(),
  rating: z.number().int(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

export type ReviewItem = z.infer<typeof reviewItemSchema>;

export const authorSortKey = (userId: string) => `AUTHOR#${userId}`;
