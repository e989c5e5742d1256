// Search with filters and sort, all kept in the URL (shareable, back button works).
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import type { ProductSort } from '../__generated__/graphql';
import { ProductGrid } from '../components/ProductCard';
import { Empty, ErrorMessage, Loading } from '../components/Status';

const SearchQuery = graphql(`
  query SearchProducts($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {
    products(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      edges {
        node {
          ...ProductCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    categories {
      id
      name
    }
  }
`);

const SORTS: { value: ProductSort; label: string }[] = [
  { value: 'RELEVANCE', label: 'Relevance' },
  { value: 'NEWEST', label: 'Newest' },
  { value: 'PRICE_ASC', label: 'Price: low to high' },
  { value: 'PRICE_DESC', label: 'Price: high to low' },
  { value: 'RATING', label: 'Best rated' },
];

const toCents = (value: string | null) =>
  value && Number.isFinite(Number(value)) ? Math.round(Number(value) * 100) : undefined;

export function Search() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = (params.get('sort') as ProductSort | null) ?? undefined;
  const filter = {
    search: q || undefined,
    category: params.get('category') || undefined,
    minPrice: toCents(params.get('min')),
    maxPrice: toCents(params.get('max')),
    inStock: params.get('inStock') === 'true' ? true : undefined,
  };
  const { data, loading, error, fetchMore } = useQuery(SearchQuery, {
    variables: { first: 24, filter, sort },
    notifyOnNetworkStatusChange: true,
  });
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const products = data?.products?.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="search-layout">
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <h2>Filters</h2>
        <label>
          Category
          <select value={filter.category ?? ''} onChange={(e) => update('category', e.target.value)}>
            <option value="">All categories</option>
            {data?.categories?.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min price ($)
          <input
            type="number"
            min="0"
            inputMode="decimal"
            defaultValue={params.get('min') ?? ''}
            onBlur={(e) => update('min', e.target.value)}
          />
        </label>
        <label>
          Max price ($)
          <input
            type="number"
            min="0"
            inputMode="decimal"
            defaultValue={params.get('max') ?? ''}
            onBlur={(e) => update('max', e.target.value)}
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.inStock === true}
            onChange={(e) => update('inStock', e.target.checked ? 'true' : '')}
          />{' '}
          In stock only
        </label>
        <label>
          Sort by
          <select value={sort ?? ''} onChange={(e) => update('sort', e.target.value)}>
            <option value="">Default</option>
            {SORTS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <section aria-labelledby="results-heading" aria-busy={loading}>
        <h1 id="results-heading">{q ? `Results for “${q}”` : 'All products'}</h1>
        <ErrorMessage error={error} what="the results" />
        {data?.products && <p className="muted">{data.products.totalCount} products</p>}
        {loading && !data && <Loading what="products" />}
        {data && products.length === 0 && (
          <Empty>No products match. Try fewer filters or another word.</Empty>
        )}
        {products.length > 0 && <ProductGrid label="Search results" products={products} />}
        {data?.products?.pageInfo.hasNextPage && (
          <button
            type="button"
            disabled={loading}
            onClick={() =>
              void fetchMore({
                variables: { after: data.products.pageInfo.endCursor },
                updateQuery: (previous, { fetchMoreResult }) => ({
                  ...fetchMoreResult,
                  products: {
                    ...fetchMoreResult.products,
                    edges: [...(previous.products?.edges ?? []), ...fetchMoreResult.products.edges],
                  },
                }),
              })
            }
          >
            {loading ? 'Loading…' : 'Show more'}
          </button>
        )}
      </section>
    </div>
  );
}
