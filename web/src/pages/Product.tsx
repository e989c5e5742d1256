import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { useAuth } from '../auth';
import { formatDate, formatMoney } from '../money';
import { ProductGrid } from '../components/ProductCard';
import { ProductImage } from '../components/ProductImage';
import { ActionError, describe, Empty, ErrorMessage, Loading } from '../components/Status';

const ProductQuery = graphql(`
  query ProductPage($id: ID!) {
    product(id: $id) {
      id
      name
      description
      brand
      sku
      category {
        id
        name
      }
      price {
        amount
        currency
      }
      images {
        ...ProductImageFields
      }
      inventory {
        available
        status
      }
      rating {
        average
        count
      }
      reviews(first: 10) {
        totalCount
        edges {
          node {
            id
            rating
            title
            body
            createdAt
            author {
              id
              name
            }
          }
        }
      }
    }
  }
`);

// Image management loads only for an admin, with the upload code.
const ProductImages = lazy(() =>
  import('./admin/ProductImages').then((module) => ({ default: module.ProductImages })),
);

// The gallery's widths (styles.css): the first image fills the left column of .product-main (one
// column under 760 px), the others a quarter of it.
const FIRST_IMAGE_SIZES =
  '(max-width: 760px) calc(100vw - 2rem), (max-width: 1200px) calc(50vw - 2.5rem), 560px';
const OTHER_IMAGE_SIZES =
  '(max-width: 760px) calc(25vw - 1rem), (max-width: 1200px) calc(12.5vw - 1rem), 140px';

// A query of its own: if the recommendations service fails, the product page still shows.
const AlsoBoughtQuery = graphql(`
  query AlsoBought($id: ID!) {
    product(id: $id) {
      id
      recommendations(first: 4) {
        ...ProductCardFields
      }
    }
  }
`);

function AlsoBought({ productId }: { productId: string }) {
  const { data, loading, error } = useQuery(AlsoBoughtQuery, {
    variables: { id: productId },
    // Not written to the cache: when recommendations fail, `product` comes back null here, and
    // that must not replace the product the page above is showing.
    fetchPolicy: 'no-cache',
  });
  const products = data?.product?.recommendations;
  return (
    <section aria-labelledby="also-heading">
      <h2 id="also-heading">Customers also bought</h2>
      {loading && !data && <Loading what="suggestions" />}
      <ErrorMessage error={error} what="the suggestions" />
      {products &&
        (products.length ? (
          <ProductGrid label="Customers also bought" products={products} />
        ) : (
          <Empty>Nothing to suggest yet.</Empty>
        ))}
    </section>
  );
}

export const AddToCartMutation = graphql(`
  mutation AddToCart($productId: ID!, $quantity: Int!) {
    addToCart(productId: $productId, quantity: $quantity) {
      items {
        quantity
        product {
          id
        }
      }
      subtotal {
        amount
        currency
      }
    }
  }
`);

const AddReviewMutation = graphql(`
  mutation AddReview($productId: ID!, $rating: Int!, $title: String!, $body: String!) {
    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {
      id
    }
  }
`);

function ReviewForm({ productId, onDone }: { productId: string; onDone(): void }) {
  const [rating, setRating] = useState(5);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [addReview, { loading, error }] = useMutation(AddReviewMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await addReview({ variables: { productId, rating, title, body } }).catch(() => null);
    if (result?.data) {
      setTitle('');
      setBody('');
      onDone();
    }
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-labelledby="review-form-heading">
      <h3 id="review-form-heading">Write a review</h3>
      <label>
        Rating
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {n} star{n > 1 ? 's' : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Title
        <input required maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Review
        <textarea required rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <ActionError error={error} />
      <button type="submit" disabled={loading}>
        {loading ? 'Posting…' : 'Post review'}
      </button>
    </form>
  );
}

export function ProductPage() {
  const { id = '' } = useParams();
  const { token, user } = useAuth();
  const { data, loading, error, refetch } = useQuery(ProductQuery, { variables: { id } });
  const [quantity, setQuantity] = useState(1);
  const [addToCart, added] = useMutation(AddToCartMutation);
  if (loading && !data) return <Loading what="the product" />;
  const product = data?.product;
  if (!product)
    return error ? (
      <ErrorMessage error={error} what="this product" />
    ) : (
      <Empty>This product does not exist.</Empty>
    );
  const soldOut = product.inventory?.status === 'OUT_OF_STOCK';
  return (
    <article className="product">
      <ErrorMessage error={error} what="this page" />
      <div className="product-main">
        <div className="gallery">
          {product.images.length ? (
            product.images.map((image, index) =>
              index === 0 ? (
                <ProductImage key={image.id} image={image} sizes={FIRST_IMAGE_SIZES} width={600} eager />
              ) : (
                <ProductImage key={image.id} image={image} sizes={OTHER_IMAGE_SIZES} width={200} />
              ),
            )
          ) : (
            <div className="thumb large" aria-hidden="true">
              🛍
            </div>
          )}
        </div>
        <div className="stack">
          <p className="muted">
            {product.brand} ·{' '}
            <Link to={`/search?category=${product.category.id}`}>{product.category.name}</Link>
          </p>
          <h1>{product.name}</h1>
          <p className="price large">{formatMoney(product.price)}</p>
          <p>
            {product.rating?.average != null
              ? `★ ${product.rating.average.toFixed(2)} from ${product.rating.count} reviews`
              : 'No reviews yet'}
          </p>
          {product.inventory && (
            <p className={soldOut ? 'stock out' : 'stock'}>
              {soldOut
                ? 'Sold out'
                : product.inventory.status === 'LOW_STOCK'
                  ? `Only ${product.inventory.available} left`
                  : `In stock (${product.inventory.available})`}
            </p>
          )}
          <p>{product.description}</p>
          {token ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void addToCart({ variables: { productId: product.id, quantity } }).catch(() => null);
              }}
            >
              <label>
                Quantity
                <input
                  type="number"
                  min={1}
                  max={99}
                  value={quantity}
                  onChange={(e) => setQuantity(Math.max(1, Number(e.target.value)))}
                />
              </label>
              <button type="submit" disabled={soldOut || added.loading}>
                {added.loading ? 'Adding…' : 'Add to cart'}
              </button>
            </form>
          ) : (
            <p>
              <Link to="/login">Log in</Link> to buy.
            </p>
          )}
          <div aria-live="polite">
            {added.data && (
              <p className="status ok">
                Added to your cart. <Link to="/cart">View cart</Link>
              </p>
            )}
            {added.error && <p className="status error">{describe(added.error)}</p>}
          </div>
        </div>
      </div>
      {user?.role === 'ADMIN' && (
        <Suspense fallback={<Loading what="image management" />}>
          <ProductImages productId={product.id} productName={product.name} images={product.images} />
        </Suspense>
      )}
      <AlsoBought productId={product.id} />
      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews ({product.reviews?.totalCount ?? 0})</h2>
        {product.reviews?.edges.length ? (
          <ul className="reviews">
            {product.reviews.edges.map(({ node }) => (
              <li key={node.id}>
                <strong>
                  {'★'.repeat(node.rating)}
                  <span className="visually-hidden">{node.rating} out of 5</span> {node.title}
                </strong>
                <p>{node.body}</p>
                <p className="muted">
                  {node.author?.name ?? 'A shopper'} · {formatDate(node.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No reviews yet.</Empty>
        )}
        {token && <ReviewForm productId={product.id} onDone={() => void refetch()} />}
      </section>
    </article>
  );
}
