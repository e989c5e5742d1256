// What an uploaded product image must be and the variants made of it (src/domain/image-processing.ts),
// on images made here with sharp and on hand-made hostile files.
import sharp from 'sharp';
import { pngClaiming } from '@cloudmart/test-kit';
import {
  ImageRejectedError,
  makeImageVariants,
  sniffImageType,
  type AcceptedImageType,
  type ImageRejection,
} from '../src/domain/image-processing';

const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });

async function rejection(bytes: Buffer, declared: AcceptedImageType): Promise<ImageRejection | 'accepted'> {
  try {
    await makeImageVariants(bytes, declared);
    return 'accepted';
  } catch (error) {
    if (error instanceof ImageRejectedError) return error.reason;
    throw error;
  }
}

describe('product image processing', () => {
  it('makes upright WebP variants 200, 600 and 1200 px wide, without the camera metadata', async () => {
    // Stored sideways with EXIF orientation 6 (rotate 90°): shown 1200 wide and 1600 high.
    const jpeg = await picture(1600, 1200).jpeg().withMetadata({ orientation: 6, exif: { IFD0: { Make: 'TestCam' } } }).toBuffer();
    const { width, height, variants } = await makeImageVariants(jpeg, 'image/jpeg');
    expect([width, height]).toEqual([1600, 1200]);
    expect(variants.map((variant) => [variant.width, variant.height])).toEqual([
      [200, 267],
      [600, 800],
      [1200, 1600],
    ]);
    for (const variant of variants) {
      expect(sniffImageType(variant.bytes)).toBe('image/webp');
      const meta = await sharp(variant.bytes).metadata();
      expect([meta.width, meta.height, meta.exif]).toEqual([variant.width, variant.height, undefined]);
      expect(variant.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('accepts PNG and WebP, and does not enlarge a narrow original', async () => {
    const png = await makeImageVariants(await picture(500, 300).png().toBuffer(), 'image/png');
    expect(png.variants.map((variant) => variant.width)).toEqual([200, 500]);
    const webp = await makeImageVariants(await picture(150, 150).webp().toBuffer(), 'image/webp');
    expect(webp.variants.map((variant) => variant.width)).toEqual([150]);
  });

  it('refuses a type other than the declared one, anything not a JPEG, PNG or WebP, a bomb and a broken file', async () => {
    const png = await picture(64, 64).png().toBuffer();
    expect(await rejection(png, 'image/jpeg')).toBe('TYPE_MISMATCH');
    expect(await rejection(Buffer.from('<!doctype html><script>alert(1)</script>'), 'image/jpeg')).toBe('NOT_AN_IMAGE');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expect(await rejection(svg, 'image/png')).toBe('NOT_AN_IMAGE');
    expect(await rejection(Buffer.alloc(0), 'image/png')).toBe('NOT_AN_IMAGE');

    const bomb = pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200_000);
    expect(await rejection(bomb, 'image/png')).toBe('TOO_MANY_PIXELS');
    // Just under the bound in pixels, but its data stops after one row: it does not decode.
    expect(await rejection(pngClaiming(6_000, 6_000), 'image/png')).toBe('UNDECODABLE');

    const jpeg = await picture(64, 64).jpeg().toBuffer();
    expect(await rejection(jpeg.subarray(0, 40), 'image/jpeg')).toBe('UNDECODABLE');
  });
});
