// A product's images for an admin, on its product page: in order, each with its alt text and
// buttons to move it left or right (reorderProductImages) or remove it (removeProductImage), and
// the form to add one. Each mutation returns the product's images, which update Apollo's cache;
// after each action the keyboard focus goes where the admin would act next.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../__generated__';
import { ProductImage, type ImageData } from '../../components/ProductImage';
import { describe } from '../../components/Status';
import { ImageUpload } from './ImageUpload';

const ReorderImagesMutation = graphql(`
  mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {
    reorderProductImages(productId: $productId, imageIds: $imageIds) {
      id
      images {
        ...ProductImageFields
      }
    }
  }
`);

const RemoveImageMutation = graphql(`
  mutation RemoveProductImage($productId: ID!, $imageId: ID!) {
    removeProductImage(productId: $productId, imageId: $imageId) {
      id
      images {
        ...ProductImageFields
      }
    }
  }
`);

type Control = 'left' | 'right' | 'remove';

/** Where the focus goes once the page shows the images in `order` (ids, space-separated). */
interface FocusRequest {
  order: string;
  target: string;
}

const orderOf = (images: readonly ImageData[]) => images.map((image) => image.id).join(' ');
const controlKey = (imageId: string, control: Control) => `${imageId}:${control}`;
const HEADING = 'heading';

export function ProductImages({
  productId,
  productName,
  images,
}: {
  productId: string;
  productName: string;
  images: ImageData[];
}) {
  const ids = useId();
  const [reorder] = useMutation(ReorderImagesMutation);
  const [remove] = useMutation(RemoveImageMutation);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  const controls = useRef(new Map<string, HTMLElement>());
  const register = useCallback(
    (key: string) => (element: HTMLElement | null) => {
      if (element) controls.current.set(key, element);
      else controls.current.delete(key);
    },
    [],
  );

  // The cache, not the mutation, re-renders the list: focus once it shows the new order.
  const order = orderOf(images);
  useEffect(() => {
    if (!focusRequest || focusRequest.order !== order) return;
    controls.current.get(focusRequest.target)?.focus();
    setFocusRequest(null);
  }, [focusRequest, order]);

  const move = async (index: number, by: -1 | 1) => {
    if (pending) return;
    const image = images[index]!;
    const next = [...images];
    next.splice(index, 1);
    next.splice(index + by, 0, image);
    setPending(true);
    setError(null);
    try {
      const result = await reorder({ variables: { productId, imageIds: next.map((i) => i.id) } });
      const updated = result.data?.reorderProductImages.images ?? next;
      const position = updated.findIndex((i) => i.id === image.id);
      // The same button again, unless the image reached the end it was moving to.
      const atEnd = by < 0 ? position === 0 : position === updated.length - 1;
      const control: Control = by < 0 ? (atEnd ? 'right' : 'left') : atEnd ? 'left' : 'right';
      setFocusRequest({ order: orderOf(updated), target: controlKey(image.id, control) });
      setAnnouncement(`Moved “${image.alt}” to position ${position + 1} of ${updated.length}.`);
    } catch (caught) {
      setError(`Could not move the image: ${describe(caught as Error)}`);
    } finally {
      setPending(false);
    }
  };

  const removeAt = async (index: number) => {
    if (pending) return;
    const image = images[index]!;
    setPending(true);
    setError(null);
    try {
      const result = await remove({ variables: { productId, imageId: image.id } });
      const updated = result.data?.removeProductImage.images ?? images.filter((i) => i.id !== image.id);
      // The image that took its place, else the one before it, else the section.
      const neighbour = updated[index] ?? updated[index - 1];
      setFocusRequest({
        order: orderOf(updated),
        target: neighbour ? controlKey(neighbour.id, 'remove') : HEADING,
      });
      setAnnouncement(`Removed “${image.alt}”.`);
    } catch (caught) {
      setError(`Could not remove the image: ${describe(caught as Error)}`);
    } finally {
      setPending(false);
    }
  };

  const added = (updated: ImageData[]) => {
    const image = updated[updated.length - 1]!;
    setFocusRequest({
      order: orderOf(updated),
      target: controlKey(image.id, updated.length > 1 ? 'left' : 'remove'),
    });
  };

  return (
    <section className="panel stack image-admin" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`} tabIndex={-1} ref={register(HEADING)}>
        Manage images
      </h2>
      {images.length === 0 ? (
        <p className="muted">{productName} has no images yet.</p>
      ) : (
        <ol className="image-list" aria-label={`Images of ${productName}`} aria-busy={pending}>
          {images.map((image, index) => {
            const which = `image ${index + 1}, ${image.alt}`;
            return (
              <li key={image.id}>
                <div className="thumb">
                  <ProductImage image={image} sizes="200px" width={200} decorative />
                </div>
                <p>
                  <span className="muted">{index + 1}.</span> {image.alt}
                  <br />
                  <span className="muted">
                    {image.variants.length
                      ? `Uploaded, ${image.variants.map((variant) => variant.width).join(' / ')} px wide`
                      : 'Generated picture'}
                  </span>
                </p>
                <div className="image-actions">
                  <button
                    type="button"
                    className="secondary"
                    ref={register(controlKey(image.id, 'left'))}
                    disabled={index === 0}
                    onClick={() => void move(index, -1)}
                  >
                    <span aria-hidden="true">← </span>Move left
                    <span className="visually-hidden"> ({which})</span>
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    ref={register(controlKey(image.id, 'right'))}
                    disabled={index === images.length - 1}
                    onClick={() => void move(index, 1)}
                  >
                    Move right<span className="visually-hidden"> ({which})</span>
                    <span aria-hidden="true"> →</span>
                  </button>
                  <button
                    type="button"
                    className="secondary danger"
                    ref={register(controlKey(image.id, 'remove'))}
                    onClick={() => void removeAt(index)}
                  >
                    Remove<span className="visually-hidden"> ({which})</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {error && (
        <p role="alert" className="status error">
          {error}
        </p>
      )}
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
      <ImageUpload productId={productId} imageCount={images.length} onAdded={added} />
    </section>
  );
}
