// Every order's events as they happen (orderEvents, ADMIN), and moving an order along.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useLazyQuery, useMutation, useSubscription } from '@apollo/client/react';
import { graphql } from '../../__generated__';
import type { OrderStatus } from '../../__generated__/graphql';
import { formatDate, formatMoney, statusLabel } from '../../money';
import { describe, Empty } from '../../components/Status';

const OrderEventsSubscription = graphql(`
  subscription OrderEvents {
    orderEvents {
      status
      at
      order {
        id
        number
        status
        total {
          amount
          currency
        }
      }
    }
  }
`);

const FindOrderQuery = graphql(`
  query FindOrder($number: String!) {
    orderByNumber(number: $number) {
      id
      number
      status
      user {
        id
        email
      }
    }
  }
`);

const UpdateOrderStatusMutation = graphql(`
  mutation UpdateOrderStatus($orderId: ID!, $status: OrderStatus!) {
    updateOrderStatus(orderId: $orderId, status: $status) {
      id
      status
    }
  }
`);

const NEXT: OrderStatus[] = ['FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'];

interface Seen {
  key: string;
  status: string;
  at: string;
  order: { id: string; number: string; total: { amount: number; currency: string } };
}

export function AdminOrders() {
  const [events, setEvents] = useState<Seen[]>([]);
  const live = useSubscription(OrderEventsSubscription, {
    onData: ({ data }) => {
      const event = data.data?.orderEvents;
      if (!event) return;
      setEvents((previous) =>
        [
          {
            key: `${event.order.id}-${event.status}-${event.at}`,
            status: event.status,
            at: event.at,
            order: event.order,
          },
          ...previous,
        ].slice(0, 100),
      );
    },
  });
  const [number, setNumber] = useState('');
  const [find, found] = useLazyQuery(FindOrderQuery);
  const [status, setStatus] = useState<OrderStatus>('FULFILLING');
  const [update, updating] = useMutation(UpdateOrderStatusMutation);
  const lookup = (event: FormEvent) => {
    event.preventDefault();
    void find({ variables: { number: number.trim() } }).catch(() => null);
  };
  const order = found.data?.orderByNumber;
  return (
    <div className="stack">
      <h1>Orders</h1>
      <section className="panel" aria-labelledby="move-heading">
        <h2 id="move-heading">Change an order&apos;s status</h2>
        <form className="inline-form" onSubmit={lookup}>
          <label>
            Order number{' '}
            <input value={number} required placeholder="CM-…" onChange={(e) => setNumber(e.target.value)} />
          </label>
          <button type="submit">Find</button>
        </form>
        {found.error && <p className="status error">{describe(found.error)}</p>}
        {found.called && !found.loading && found.data && !order && <Empty>No order with that number.</Empty>}
        {order && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void update({ variables: { orderId: order.id, status } }).catch(() => null);
            }}
          >
            <span>
              {order.number} ({order.user?.email}) is <strong>{statusLabel(order.status)}</strong>
            </span>
            <label>
              New status
              <select value={status} onChange={(e) => setStatus(e.target.value as OrderStatus)}>
                {NEXT.map((next) => (
                  <option key={next} value={next}>
                    {statusLabel(next)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={updating.loading}>
              Update
            </button>
          </form>
        )}
        {updating.error && <p className="status error">{describe(updating.error)}</p>}
      </section>
      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading">Live order events</h2>
        <p className="muted">
          {live.error
            ? `Live updates stopped: ${describe(live.error)}`
            : 'Listening: new checkouts and status changes appear here as they happen.'}
        </p>
        {events.length === 0 ? (
          <Empty>No events since this page opened.</Empty>
        ) : (
          <ol className="plain" aria-live="polite">
            {events.map((event) => (
              <li key={event.key}>
                <Link to={`/orders/${event.order.id}`}>{event.order.number}</Link> →{' '}
                <strong>{statusLabel(event.status)}</strong> · {formatMoney(event.order.total)}{' '}
                <span className="muted">{formatDate(event.at)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
