import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * What an uploaded product image must be, and the variants the shop serves of it. Pure: bytes in,
 * variants out, so the same code runs in the products service (attachProductImage) and, in
 * production, in the Lambda on the bucket's ObjectCreated events.
 */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

/** Largest upload an admin may declare (and S3 then accepts: the size is signed into the URL). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Largest image decoded, in pixels: a small file can declare a huge canvas (a decompression bomb). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Widths of the WebP variants, for `srcset`: a search card, a product page, a zoomed view. */
export const VARIANT_WIDTHS = [200, 600, 1200] as const;

export type ImageRejection = 'NOT_AN_IMAGE' | 'TYPE_MISMATCH' | 'TOO_MANY_PIXELS' | 'UNDECODABLE';

export class ImageRejectedError extends Error {
  constructor(
    readonly reason: ImageRejection,
    message: string,
  ) {
    super(message);
  }
}

/** The type an image's first bytes show (its magic number), whatever it was declared as. */
export function sniffImageType(bytes: Uint8Array): AcceptedImageType | undefined {
  const starts = (offset: number, ...expected: number[]) => expected.every((byte, i) => bytes[offset + i] === byte);
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // RIFF <size> WEBP
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

const formatOf: Record<AcceptedImageType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

export interface ImageVariant {
  /** Its real width: a narrow original is not enlarged, so a variant may be narrower than asked. */
  width: number;
  height: number;
  bytes: Buffer;
  /** SHA-256 of the bytes, hex: variants are stored under it (content-addressed, immutable). */
  sha256: string;
}

/**
 * Checks an upload and makes its WebP variants. Refused (ImageRejectedError): bytes that are not a
 * JPEG, PNG or WebP (HTML, SVG, anything else), a type other than the declared one, more than
 * MAX_IMAGE_PIXELS (read from the header, before anything is decoded), or a file that does not
 * decode. Variants are turned upright by their EXIF orientation and carry no metadata (no camera
 * or location data reaches the shop).
 */
export async function makeImageVariants(
  bytes: Buffer,
  declaredType: AcceptedImageType,
): Promise<{ width: number; height: number; variants: ImageVariant[] }> {
  const sniffed = sniffImageType(bytes);
  if (!sniffed) throw new ImageRejectedError('NOT_AN_IMAGE', 'The upload is not a JPEG, PNG or WebP image.');
  if (sniffed !== declaredType) {
    throw new ImageRejectedError('TYPE_MISMATCH', `The upload was declared ${declaredType} but is ${sniffed}.`);
  }
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const };
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejectedError('UNDECODABLE', 'The image cannot be read.');
  }
  const { width, height, format } = metadata;
  if (!width || !height || format !== formatOf[declaredType]) {
    throw new ImageRejectedError('UNDECODABLE', 'The image cannot be read.');
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageRejectedError(
      'TOO_MANY_PIXELS',
      `The image is ${width}×${height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are accepted.`,
    );
  }
  const variants: ImageVariant[] = [];
  try {
    for (const target of VARIANT_WIDTHS) {
      const { data, info } = await sharp(bytes, options)
        .rotate()
        .resize({ width: target, withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer({ resolveWithObject: true });
      if (variants.some((variant) => variant.width === info.width)) continue; // a narrow original
      variants.push({
        width: info.width,
        height: info.height,
        bytes: data,
        sha256: createHash('sha256').update(data).digest('hex'),
      });
    }
  } catch {
    throw new ImageRejectedError('UNDECODABLE', 'The image cannot be decoded.');
  }
  return { width, height, variants };
}
