import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatMoney } from '../money';
import { describe, Empty, ErrorMessage, Loading } from '../components/Status';

export const CartQuery = graphql(`
  query Cart {
    cart {
      items {
        quantity
        product {
          id
          name
          price {
            amount
            currency
          }
          images {
            url
            alt
          }
        }
      }
      subtotal {
        amount
        currency
      }
    }
  }
`);

const UpdateCartItem = graphql(`
  mutation UpdateCartItem($productId: ID!, $quantity: Int!) {
    updateCartItem(productId: $productId, quantity: $quantity) {
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

const RemoveFromCart = graphql(`
  mutation RemoveFromCart($productId: ID!) {
    removeFromCart(productId: $productId) {
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

export function CartPage() {
  const { data, loading, error } = useQuery(CartQuery, { fetchPolicy: 'cache-and-network' });
  const [update, updating] = useMutation(UpdateCartItem);
  const [remove, removing] = useMutation(RemoveFromCart);
  const cart = data?.cart;
  // A line whose product the products service could not give now (an error says so) stays in the
  // cart; it is counted below instead of shown.
  const shownItems = (cart?.items ?? []).flatMap((item) => (item.product ? [{ ...item, product: item.product }] : []));
  const hiddenItems = (cart?.items.length ?? 0) - shownItems.length;
  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">Your cart</h1>
      <ErrorMessage error={error ?? updating.error ?? removing.error} what="your cart" />
      {loading && !cart && <Loading what="your cart" />}
      {cart && cart.items.length === 0 && (
        <Empty>
          Your cart is empty. <Link to="/search">Browse products</Link>
        </Empty>
      )}
      {cart && cart.items.length > 0 && (
        <>
          <table className="cart">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Price</th>
                <th scope="col">Quantity</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shownItems.map((item) => (
                <tr key={item.product.id}>
                  <td>
                    <Link to={`/products/${item.product.id}`}>{item.product.name}</Link>
                  </td>
                  <td>{formatMoney(item.product.price)}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`qty-${item.product.id}`}>
                      Quantity of {item.product.name}
                    </label>
                    <input
                      id={`qty-${item.product.id}`}
                      type="number"
                      min={1}
                      max={99}
                      defaultValue={item.quantity}
                      onBlur={(e) => {
                        const quantity = Number(e.target.value);
                        if (quantity !== item.quantity && quantity >= 1)
                          void update({ variables: { productId: item.product.id, quantity } }).catch(
                            () => null,
                          );
                      }}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        void remove({ variables: { productId: item.product.id } }).catch(() => null)
                      }
                    >
                      Remove<span className="visually-hidden"> {item.product.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {hiddenItems > 0 && (
            <p className="status" role="status">
              {hiddenItems === 1 ? 'One item' : `${hiddenItems} items`} of your cart cannot be shown right now; they
              are still in it.
            </p>
          )}
          <p className="total">
            Subtotal: <strong>{formatMoney(cart.subtotal)}</strong>
          </p>
          {(updating.error || removing.error) && (
            <p className="status error">{describe((updating.error ?? removing.error)!)}</p>
          )}
          <Link className="button" to="/checkout">
            Check out
          </Link>
        </>
      )}
    </section>
  );
}
