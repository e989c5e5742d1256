import { Link } from 'react-router';
import { formatMoney } from '../money';
import { graphql } from '../__generated__';
import { ProductImage, type ImageData } from './ProductImage';

export const ProductCardFields = graphql(`
  fragment ProductCardFields on Product {
    id
    name
    brand
    price {
      amount
      currency
    }
    images {
      ...ProductImageFields
    }
    rating {
      average
      count
    }
    inventory {
      status
    }
  }
`);

export interface CardProduct {
  id: string;
  name: string;
  brand: string;
  price: { amount: number; currency: string };
  images: ImageData[];
  rating: { average?: number | null; count: number };
  inventory: { status: string };
}

export function ProductCard({ product }: { product: CardProduct }) {
  const image = product.images[0];
  return (
    <li className="card">
      <Link to={`/products/${product.id}`} className="card-link">
        <div className="thumb">
          {image ? (
            // A card's picture is at most about 200 px wide in the grid: the 200 px variant, or a
            // wider one on a high-density screen.
            <ProductImage image={image} sizes="200px" width={200} />
          ) : (
            <span aria-hidden="true">🛍</span>
          )}
        </div>
        <span className="card-name">{product.name}</span>
      </Link>
      <span className="muted">{product.brand}</span>
      <span className="price">{formatMoney(product.price)}</span>
      <span className="muted">
        {product.rating.average != null
          ? `★ ${product.rating.average.toFixed(1)} (${product.rating.count})`
          : 'No reviews yet'}
        {product.inventory.status === 'OUT_OF_STOCK' ? ' · Sold out' : ''}
      </span>
    </li>
  );
}

export function ProductGrid({ products, label }: { products: CardProduct[]; label: string }) {
  return (
    <ul className="grid" aria-label={label}>
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  );
}
