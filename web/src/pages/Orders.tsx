import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatDate, formatMoney, statusLabel } from '../money';
import { Empty, ErrorMessage, Loading } from '../components/Status';

const MyOrdersQuery = graphql(`
  query MyOrders {
    me {
      id
      orders(first: 20) {
        edges {
          node {
            id
            number
            status
            createdAt
            total {
              amount
              currency
            }
          }
        }
      }
    }
  }
`);

export function Orders() {
  const { data, loading, error } = useQuery(MyOrdersQuery, { fetchPolicy: 'cache-and-network' });
  const orders = data?.me?.orders.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Your orders</h1>
      <ErrorMessage error={error} what="your orders" />
      {loading && !data && <Loading what="your orders" />}
      {data && orders.length === 0 && <Empty>You have no orders yet.</Empty>}
      {orders.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <td>
                  <Link to={`/orders/${order.id}`}>{order.number}</Link>
                </td>
                <td>{formatDate(order.createdAt)}</td>
                <td>{statusLabel(order.status)}</td>
                <td>{formatMoney(order.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
