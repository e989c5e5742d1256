import { z } from 'zod';

/**
 * The stored shapes, as they are in DynamoDB. Items read back (from GetItem, BatchGetItem, Scan or
 * the stream) are parsed with these schemas, so a malformed item fails loudly at the boundary.
 */
/** A processed variant of an uploaded image: a WebP under a content-addressed key of the media bucket. */
export const imageVariantSchema = z.object({ width: z.number().int(), height: z.number().int(), key: z.string() });

/**
 * A product image: an uploaded one has an id and its variants (its URL is the widest variant's);
 * a generated or given one (the seed's pictures, createProduct's `images`) only a URL.
 */
export const productImageSchema = z.object({
  id: z.string().optional(),
  url: z.string(),
  alt: z.string(),
  variants: z.array(imageVariantSchema).optional(),
});

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
export type ImageVariantItem = z.infer<typeof imageVariantSchema>;

export const uploadStatuses = ['PENDING', 'ATTACHING', 'ATTACHED', 'REJECTED', 'EXPIRED'] as const;

/** An image upload an admin was given a URL for (productsTables.productImageUploads). */
export const imageUploadItemSchema = z.object({
  uploadId: z.string(),
  productId: z.string(),
  /** The original's key in the media bucket (`uploads/<uploadId>`). */
  key: z.string(),
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  byteSize: z.number().int(),
  /** Who asked for the URL (an admin's user id). */
  createdBy: z.string(),
  createdAt: z.string(),
  /** When the URL stops working (ISO-8601). */
  expiresAt: z.string(),
  /** When DynamoDB may delete the record (epoch seconds): a day after expiresAt. */
  expiresAtEpoch: z.number().int(),
  /**
   * PENDING until attached (ATTACHED), refused (REJECTED) or swept after its URL expired (EXPIRED);
   * ATTACHING while one attach works on it.
   */
  status: z.enum(uploadStatuses),
  /** When ATTACHING began: an attach that died leaves it, and another may take over after a while. */
  claimedAt: z.string().optional(),
  /** Variants the Lambda on the bucket's events already made; the attach then only appends. */
  prepared: z.array(imageVariantSchema).optional(),
  /** The Lambda's verdict on a file that will not do; the attach then refuses with it. */
  rejection: z
    .object({ reason: z.enum(['NOT_AN_IMAGE', 'TYPE_MISMATCH', 'TOO_MANY_PIXELS', 'UNDECODABLE']), message: z.string() })
    .optional(),
});

export type ImageUploadItem = z.infer<typeof imageUploadItemSchema>;

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
