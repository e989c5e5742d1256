// Inventory adjustment (ADMIN): find a product, add or remove units. A product's name leads to its
// page, where an admin manages its images.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../../__generated__';
import { formatMoney, statusLabel } from '../../money';
import { describe, Empty, ErrorMessage, Loading } from '../../components/Status';

const InventoryQuery = graphql(`
  query InventoryProducts($search: String) {
    products(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          sku
          name
          price {
            amount
            currency
          }
          inventory {
            available
            status
          }
        }
      }
    }
  }
`);

const AdjustInventoryMutation = graphql(`
  mutation AdjustInventory($productId: ID!, $delta: Int!) {
    adjustInventory(productId: $productId, delta: $delta) {
      id
      inventory {
        available
        status
      }
    }
  }
`);

function Adjust({ productId, name }: { productId: string; name: string }) {
  const [delta, setDelta] = useState(10);
  const [adjust, { loading, error }] = useMutation(AdjustInventoryMutation);
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void adjust({ variables: { productId, delta } }).catch(() => null);
      }}
    >
      <label>
        <span className="visually-hidden">Units to add to {name} (negative to remove)</span>
        <input
          type="number"
          value={delta}
          step={1}
          onChange={(e) => setDelta(Math.trunc(Number(e.target.value)))}
        />
      </label>
      <button type="submit" disabled={loading || delta === 0}>
        Apply<span className="visually-hidden"> to {name}</span>
      </button>
      {error && <span className="status error">{describe(error)}</span>}
    </form>
  );
}

export function Inventory() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState<string | undefined>(undefined);
  const { data, loading, error } = useQuery(InventoryQuery, { variables: { search: query } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(search.trim() || undefined);
  };
  const products = data?.products?.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="stack">
      <h1>Inventory</h1>
      <form className="inline-form" role="search" onSubmit={submit}>
        <label>
          Find products <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={error} what="inventory" />
      {loading && !data && <Loading what="products" />}
      {data && products.length === 0 && <Empty>No products found.</Empty>}
      {products.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Product</th>
              <th scope="col">Price</th>
              <th scope="col">Available</th>
              <th scope="col">Adjust</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id}>
                <td>{product.sku}</td>
                <td>
                  <Link to={`/products/${product.id}`}>{product.name}</Link>
                </td>
                <td>{formatMoney(product.price)}</td>
                <td>
                  {product.inventory
                    ? `${product.inventory.available} (${statusLabel(product.inventory.status)})`
                    : '—'}
                </td>
                <td>
                  <Adjust productId={product.id} name={product.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
