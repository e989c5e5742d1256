// A product image as the shop shows it: an uploaded one from its WebP variants (200, 600 and
// 1200 px wide, narrowest first) with srcset, so the browser fetches the width the layout needs;
// a generated picture (a data: URL, no variants) as it is.
import { graphql } from '../__generated__';
import type { ProductImageFieldsFragment } from '../__generated__/graphql';

export const ProductImageFields = graphql(`
  fragment ProductImageFields on ProductImage {
    id
    url
    alt
    variants {
      width
      height
      url
    }
  }
`);

export type ImageData = ProductImageFieldsFragment;

export function ProductImage({
  image,
  sizes,
  width,
  eager = false,
  decorative = false,
}: {
  image: ImageData;
  /** The `sizes` attribute: how wide the layout shows the image. */
  sizes: string;
  /** The variant for browsers without srcset: the narrowest at least this wide, else the widest. */
  width: number;
  /** Load at once (the first image a page shows); otherwise when it nears the viewport. */
  eager?: boolean;
  /** Shown beside its alt text already: empty alt, so screen readers do not read it twice. */
  decorative?: boolean;
}) {
  const alt = decorative ? '' : image.alt;
  const loading = eager ? 'eager' : 'lazy';
  const { variants } = image;
  if (variants.length === 0) return <img src={image.url} alt={alt} loading={loading} />;
  const fallback = variants.find((variant) => variant.width >= width) ?? variants[variants.length - 1]!;
  return (
    <img
      src={fallback.url}
      srcSet={variants.map((variant) => `${variant.url} ${variant.width}w`).join(', ')}
      sizes={sizes}
      width={fallback.width}
      height={fallback.height}
      alt={alt}
      loading={loading}
      fetchPriority={eager ? 'high' : undefined}
    />
  );
}
