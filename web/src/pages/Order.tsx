// An order with its status timeline. The query draws the page; the orderUpdated subscription
// writes each change into the cache (same Order id), so the page updates without reloading.
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatDate, formatMoney, statusLabel } from '../money';
import { describe, Empty, ErrorMessage, Loading } from '../components/Status';

graphql(`
  fragment OrderDetails on Order {
    id
    number
    status
    createdAt
    updatedAt
    events {
      status
      at
    }
    items {
      quantity
      product {
        id
        name
      }
      unitPrice {
        amount
        currency
      }
      lineTotal {
        amount
        currency
      }
    }
    subtotal {
      amount
      currency
    }
    tax {
      amount
      currency
    }
    shipping {
      amount
      currency
    }
    total {
      amount
      currency
    }
    payment {
      id
      status
      method {
        brand
        last4
      }
    }
  }
`);

const OrderQuery = graphql(`
  query OrderPage($id: ID!) {
    order(id: $id) {
      ...OrderDetails
    }
  }
`);

const OrderUpdatedSubscription = graphql(`
  subscription OrderUpdated($orderId: ID!) {
    orderUpdated(orderId: $orderId) {
      ...OrderDetails
    }
  }
`);

const CancelOrderMutation = graphql(`
  mutation CancelOrder($orderId: ID!) {
    cancelOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

const CANCELLABLE = new Set(['PENDING_PAYMENT', 'PAID', 'FULFILLING']);

export function OrderPage() {
  const { id = '' } = useParams();
  const { data, loading, error } = useQuery(OrderQuery, { variables: { id } });
  const live = useSubscription(OrderUpdatedSubscription, { variables: { orderId: id } });
  const [cancel, cancelling] = useMutation(CancelOrderMutation);
  if (loading && !data) return <Loading what="the order" />;
  const order = live.data?.orderUpdated ?? data?.order;
  if (!order) return error ? <ErrorMessage error={error} what="this order" /> : <Empty>No such order.</Empty>;
  return (
    <article className="stack" aria-labelledby="order-heading">
      <h1 id="order-heading">Order {order.number}</h1>
      <ErrorMessage error={error} what="this order" />
      <p>
        Status:{' '}
        <strong
          className={`badge status-${order.status.toLowerCase()}`}
          data-testid="order-status"
          aria-live="polite"
        >
          {statusLabel(order.status)}
        </strong>{' '}
        <span className="muted" data-testid="live-state">
          {live.error
            ? `Live updates stopped: ${describe(live.error)}`
            : live.data
              ? '● Live'
              : 'Connecting for live updates…'}
        </span>
      </p>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline">
          {order.events.map((event) => (
            <li key={`${event.status}-${event.at}`}>
              <strong>{statusLabel(event.status)}</strong>{' '}
              <span className="muted">{formatDate(event.at)}</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Quantity</th>
              <th scope="col">Price</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item, index) => (
              <tr key={item.product?.id ?? `line-${index}`}>
                <td>
                  {item.product ? (
                    <Link to={`/products/${item.product.id}`}>{item.product.name}</Link>
                  ) : (
                    // The products service could not be reached: the line is still the order's.
                    <span>Product details unavailable right now</span>
                  )}
                </td>
                <td>{item.quantity}</td>
                <td>{formatMoney(item.unitPrice)}</td>
                <td>{formatMoney(item.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals">
          <dt>Subtotal</dt>
          <dd>{formatMoney(order.subtotal)}</dd>
          <dt>Tax</dt>
          <dd>{formatMoney(order.tax)}</dd>
          <dt>Shipping</dt>
          <dd>{formatMoney(order.shipping)}</dd>
          <dt>Total</dt>
          <dd>
            <strong>{formatMoney(order.total)}</strong>
          </dd>
        </dl>
        {order.payment && (
          <p className="muted">
            Paid with {order.payment.method.brand} ending {order.payment.method.last4} (
            {statusLabel(order.payment.status)})
          </p>
        )}
      </section>
      {CANCELLABLE.has(order.status) && (
        <p>
          <button
            type="button"
            className="secondary"
            disabled={cancelling.loading}
            onClick={() => void cancel({ variables: { orderId: order.id } }).catch(() => null)}
          >
            {cancelling.loading ? 'Cancelling…' : 'Cancel order'}
          </button>
        </p>
      )}
      {cancelling.error && <p className="status error">{describe(cancelling.error)}</p>}
    </article>
  );
}
