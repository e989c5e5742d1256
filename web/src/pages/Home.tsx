import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { ProductGrid } from '../components/ProductCard';
import { Empty, ErrorMessage, Loading } from '../components/Status';

const HomeQuery = graphql(`
  query Home {
    categories {
      id
      name
      productCount
    }
    featured: products(first: 8, sort: RATING, filter: { inStock: true }) {
      edges {
        node {
          ...ProductCardFields
        }
      }
    }
  }
`);

export function Home() {
  const { data, loading, error } = useQuery(HomeQuery);
  return (
    <>
      <section className="hero">
        <h1>Welcome to CloudMart</h1>
        <p>Everything for your desk, your kitchen and your weekends — shipped free from $50.</p>
      </section>
      <ErrorMessage error={error} what="the home page" />
      {loading && !data && <Loading what="the catalog" />}
      {data && (
        <>
          <section aria-labelledby="categories-heading">
            <h2 id="categories-heading">Categories</h2>
            {data.categories.length === 0 ? (
              <Empty>No categories yet.</Empty>
            ) : (
              <ul className="chips">
                {data.categories.map((category) => (
                  <li key={category.id}>
                    <Link to={`/search?category=${encodeURIComponent(category.id)}`}>
                      {category.name} <span className="muted">({category.productCount})</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="featured-heading">
            <h2 id="featured-heading">Featured products</h2>
            {data.featured?.edges.length ? (
              <ProductGrid
                label="Featured products"
                products={data.featured.edges.map((edge) => edge.node)}
              />
            ) : (
              <Empty>No products in stock right now.</Empty>
            )}
          </section>
        </>
      )}
    </>
  );
}
