import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  appError,
  badUserInput,
  BoundedPool,
  ErrorCode,
  isConnectionFailure,
  notFound,
  parseInput,
  PoolFullError,
  retryLater,
  type Logger,
} from '@cloudmart/runtime';
import { GraphQLError } from 'graphql';
import type { ProductsData } from '../data';
import { ProductNotFoundError, WriteContentionError } from '../data/errors';
import type { ImageUploadItem, ProductImage, ProductItem } from '../data/items';
import type { MediaStorage } from '../services/media-storage';
import { idSchema } from '../validation';
import type { Catalog } from './catalog';
import { ACCEPTED_IMAGE_TYPES, ImageRejectedError, MAX_UPLOAD_BYTES } from './image-processing';
import { makeUploadVariants, UploadRefusedError } from './upload-processing';

/** How long an upload URL works. */
export const UPLOAD_URL_SECONDS = 10 * 60;
/** Images a product may have. */
export const MAX_PRODUCT_IMAGES = 10;
/** How long an upload's record outlives its URL (DynamoDB's TTL), so the sweep can still find it. */
const RECORD_GRACE_SECONDS = 24 * 60 * 60;

const createUploadSchema = z.object({
  productId: idSchema,
  contentType: z.enum(ACCEPTED_IMAGE_TYPES, { error: `must be one of ${ACCEPTED_IMAGE_TYPES.join(', ')}` }),
  byteSize: z
    .number()
    .int()
    .min(1, 'must be at least 1 byte')
    .max(MAX_UPLOAD_BYTES, `must be at most ${MAX_UPLOAD_BYTES} bytes (5 MB)`),
});

const attachSchema = z.object({
  uploadId: idSchema,
  alt: z.string().trim().min(1, 'must describe the image for screen readers').max(300, 'must be at most 300 characters'),
});

const removeSchema = z.object({ productId: idSchema, imageId: idSchema });
const reorderSchema = z.object({ productId: idSchema, imageIds: z.array(idSchema).max(MAX_PRODUCT_IMAGES) });

/** An image's id: stored for uploads; for a generated or given picture, derived from its URL. */
export const imageIdOf = (image: ProductImage) =>
  image.id ?? `img-${createHash('sha256').update(image.url).digest('hex').slice(0, 16)}`;

const uploadRefused = (reason: string, message: string) => badUserInput(message, { argument: 'uploadId', reason });

/**
 * Whether an attach that failed with `error` leaves its upload usable (PENDING) rather than spent:
 * the file itself was not at fault (nothing uploaded yet, a full product, a store away, a busy pool).
 */
function leavesUploadPending(error: unknown): boolean {
  if (isConnectionFailure(error) || error instanceof WriteContentionError || error instanceof PoolFullError) return true;
  if (error instanceof UploadRefusedError) return error.reason === 'UPLOAD_MISSING';
  return error instanceof GraphQLError && error.extensions.reason === 'TOO_MANY_IMAGES';
}

/**
 * Product images from uploads: a presigned URL for the admin's browser, then checking the file,
 * making its variants and adding it to the product; removing and reordering images.
 */
export class ProductMedia {
  /**
   * Decoding takes memory in proportion to pixels (up to ~160 MB at 40 megapixels) and CPU: two
   * images at a time per process, a few more waiting, the rest told to come back.
   */
  private readonly processing = new BoundedPool(2, 8, 30_000, 500);

  constructor(
    private readonly data: ProductsData,
    private readonly storage: MediaStorage,
    private readonly catalog: Catalog,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createUpload(adminId: string, args: unknown) {
    const { productId, contentType, byteSize } = parseInput(createUploadSchema, args);
    if (!(await this.data.products.get(productId))) throw notFound('Product', productId);
    const uploadId = randomUUID();
    const key = `uploads/${uploadId}`;
    const now = this.now();
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1_000);
    const upload: ImageUploadItem = {
      uploadId,
      productId,
      key,
      contentType,
      byteSize,
      createdBy: adminId,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      expiresAtEpoch: Math.ceil(expiresAt.getTime() / 1_000) + RECORD_GRACE_SECONDS,
      status: 'PENDING',
    };
    await this.data.uploads.create(upload);
    const { url, headers } = await this.storage.presignUpload({ key, contentType, byteSize, expiresInSeconds: UPLOAD_URL_SECONDS });
    return {
      uploadId,
      uploadUrl: url,
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      expiresAt: upload.expiresAt,
    };
  }

  async attach(args: unknown): Promise<ProductItem> {
    const { uploadId, alt } = parseInput(attachSchema, args);
    const upload = await this.data.uploads.get(uploadId);
    if (!upload) throw notFound('ProductImageUpload', uploadId);
    if (upload.status === 'ATTACHED' || upload.status === 'REJECTED') {
      throw appError(ErrorCode.CONFLICT, 'This upload has already been used; upload the file again.', {
        argument: 'uploadId',
        reason: 'UPLOAD_ALREADY_USED',
      });
    }
    if (upload.status === 'EXPIRED' || (upload.status === 'PENDING' && upload.expiresAt < this.now().toISOString())) {
      throw uploadRefused('UPLOAD_EXPIRED', 'This upload expired; ask for a new one.');
    }
    if (!(await this.data.uploads.claim(uploadId, this.now()))) {
      throw appError(ErrorCode.CONFLICT, 'This upload is being attached by another request.', {
        argument: 'uploadId',
        reason: 'UPLOAD_ALREADY_USED',
      });
    }
    let outcome: 'ATTACHED' | 'REJECTED' | 'PENDING' = 'PENDING';
    try {
      const product = await this.processing.run(() => this.process(upload, alt));
      outcome = 'ATTACHED';
      return product;
    } catch (error) {
      if (!leavesUploadPending(error)) outcome = 'REJECTED';
      throw this.clientError(error);
    } finally {
      await this.settle(upload, outcome);
    }
  }

  /** Ends the attach's claim; an attached or refused upload's original is deleted. */
  private async settle(upload: ImageUploadItem, outcome: 'ATTACHED' | 'REJECTED' | 'PENDING') {
    try {
      await this.data.uploads.settle(upload.uploadId, outcome);
    } catch (error) {
      // The claim then lapses by itself (CLAIM_HOLD_MS) and the upload can be attached again.
      this.log.warn({ err: error, uploadId: upload.uploadId, outcome }, 'could not settle an image upload');
    }
    if (outcome === 'PENDING') return;
    await this.storage.delete(upload.key).catch((error: unknown) =>
      this.log.warn({ err: error, key: upload.key }, 'could not delete an upload; the bucket lifecycle will'),
    );
  }

  async remove(args: unknown): Promise<ProductItem> {
    const { productId, imageId } = parseInput(removeSchema, args);
    return this.changeImages(productId, (images) => {
      const kept = images.filter((image) => imageIdOf(image) !== imageId);
      if (kept.length === images.length) throw notFound('ProductImage', imageId);
      return kept;
    });
  }

  async reorder(args: unknown): Promise<ProductItem> {
    const { productId, imageIds } = parseInput(reorderSchema, args);
    return this.changeImages(productId, (images) => {
      const byId = new Map(images.map((image) => [imageIdOf(image), image]));
      if (imageIds.length !== images.length || new Set(imageIds).size !== imageIds.length || !imageIds.every((id) => byId.has(id))) {
        throw badUserInput("`imageIds` must list each of the product's images once.", { argument: 'imageIds' });
      }
      return imageIds.map((id) => byId.get(id)!);
    });
  }

  /**
   * Makes the variants (or takes those the Lambda on the bucket's events already made, or its
   * verdict on the file) and appends the image to the product.
   */
  private async process(upload: ImageUploadItem, alt: string): Promise<ProductItem> {
    if (upload.rejection) throw new ImageRejectedError(upload.rejection.reason, upload.rejection.message);
    const stored = upload.prepared ?? (await makeUploadVariants(this.storage, upload));
    const image: ProductImage = {
      id: upload.uploadId,
      url: this.storage.publicUrl(stored.at(-1)!.key),
      alt,
      variants: stored,
    };
    return this.changeImages(upload.productId, (images) => {
      if (images.some((existing) => existing.id === image.id)) return images; // an attach taken over
      if (images.length >= MAX_PRODUCT_IMAGES) {
        throw badUserInput(`A product has at most ${MAX_PRODUCT_IMAGES} images; remove one first.`, { reason: 'TOO_MANY_IMAGES' });
      }
      return [...images, image];
    });
  }

  private async changeImages(productId: string, change: (images: ProductImage[]) => ProductImage[]) {
    let product: ProductItem;
    try {
      product = await this.data.products.changeImages(productId, change, this.now().toISOString());
    } catch (error) {
      throw this.clientError(error);
    }
    return this.catalog.imagesChanged(product);
  }

  private clientError(error: unknown): unknown {
    if (error instanceof ProductNotFoundError) return notFound('Product', error.productId);
    if (error instanceof ImageRejectedError) return uploadRefused(error.reason, error.message);
    if (error instanceof UploadRefusedError) return uploadRefused(error.reason, error.message);
    if (error instanceof WriteContentionError) {
      return appError(ErrorCode.CONFLICT, 'The product is being changed by others right now; try again.');
    }
    if (error instanceof PoolFullError) {
      return retryLater(ErrorCode.SERVICE_OVERLOADED, 'Too many images are being processed right now; try again shortly.', error.retryAfterSeconds);
    }
    return error;
  }
}
