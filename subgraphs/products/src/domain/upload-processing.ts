import type { ImageUploadItem, ImageVariantItem } from '../data/items';
import { ObjectTooLargeError, type MediaStorage } from '../services/media-storage';
import { makeImageVariants, type AcceptedImageType } from './image-processing';

/** An upload whose stored object is not what was declared (or is not there yet). */
export class UploadRefusedError extends Error {
  constructor(
    readonly reason: 'UPLOAD_MISSING' | 'UPLOAD_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The variant-making step of an upload, wherever it runs: attachProductImage in the products
 * service, or the Lambda on the bucket's ObjectCreated events (src/lambda/upload-variants.ts).
 * Checks the stored original against the declaration, makes the WebP variants and writes them under
 * content-addressed keys (the same image gives the same keys, so doing it twice is harmless).
 * Throws UploadRefusedError or ImageRejectedError for a file that will not do.
 */
export async function makeUploadVariants(storage: MediaStorage, upload: ImageUploadItem): Promise<ImageVariantItem[]> {
  const original = await storage.head(upload.key);
  if (!original) {
    throw new UploadRefusedError('UPLOAD_MISSING', 'Nothing was uploaded for this upload id (or not the declared size and type).');
  }
  if (original.byteSize !== upload.byteSize || original.contentType !== upload.contentType) {
    throw new UploadRefusedError('UPLOAD_MISMATCH', 'The uploaded file is not the declared size and type.');
  }
  let bytes: Buffer;
  try {
    bytes = await storage.read(upload.key, upload.byteSize);
  } catch (error) {
    if (error instanceof ObjectTooLargeError) throw new UploadRefusedError('UPLOAD_MISMATCH', 'The uploaded file is larger than declared.');
    throw error;
  }
  const { variants } = await makeImageVariants(bytes, upload.contentType as AcceptedImageType);
  return Promise.all(
    variants.map(async (variant) => {
      const key = `products/${upload.productId}/${variant.sha256}-${variant.width}.webp`;
      await storage.write(key, variant.bytes, 'image/webp');
      return { width: variant.width, height: variant.height, key };
    }),
  );
}
