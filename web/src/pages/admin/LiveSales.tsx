// The dashboard's live panel (ADMIN): the last closed sales windows of a minute — orders, units and
// revenue per category, and the late events counted against each — from liveSalesWindows, then
// updated by the liveSales subscription as each window closes (or gets a late event), no reload.
import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { graphql } from '../../__generated__';
import { formatMoney } from '../../money';
import { describe, Empty, ErrorMessage, Loading } from '../../components/Status';

// One window's figures, as both the list and the subscription read them.
graphql(`
  fragment SalesWindowFields on SalesWindow {
    start
    end
    orders
    units
    lateEvents
    revenue {
      amount
      currency
    }
    categories {
      category
      orders
      units
      revenue {
        amount
        currency
      }
    }
  }
`);

const LiveSalesWindowsQuery = graphql(`
  query LiveSalesWindows($last: Int!) {
    liveSalesWindows(last: $last) {
      ...SalesWindowFields
    }
  }
`);

const LiveSalesSubscription = graphql(`
  subscription LiveSales {
    liveSales {
      ...SalesWindowFields
    }
  }
`);

/** Windows shown: the last ten minutes with sales. */
const SHOWN = 10;

interface Money {
  amount: number;
  currency: string;
}
interface LiveWindow {
  start: string;
  end: string;
  orders: number;
  units: number;
  lateEvents: number;
  revenue: Money;
  categories: { category: string; orders: number; units: number; revenue: Money }[];
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const span = (window: LiveWindow) => `${time(window.start)}–${time(window.end)}`;
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The pushed windows over the listed ones (a push is newer), newest first. */
function merge(pushed: readonly LiveWindow[], listed: readonly LiveWindow[]): LiveWindow[] {
  const byStart = new Map<string, LiveWindow>();
  for (const window of [...listed, ...pushed]) byStart.set(window.start, window);
  return [...byStart.values()].sort((a, b) => b.start.localeCompare(a.start)).slice(0, SHOWN);
}

export function LiveSales() {
  const listed = useQuery(LiveSalesWindowsQuery, { variables: { last: SHOWN }, fetchPolicy: 'network-only' });
  const [pushed, setPushed] = useState<LiveWindow[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const live = useSubscription(LiveSalesSubscription, {
    onData: ({ data }) => {
      const window = data.data?.liveSales;
      if (!window) return;
      setPushed((previous) => merge([window], previous));
      setAnnouncement(
        `Window ${span(window)}: ${plural(window.orders, 'order')}, ${formatMoney(window.revenue)}` +
          (window.lateEvents > 0 ? `, ${plural(window.lateEvents, 'late event')}.` : '.'),
      );
    },
  });
  const windows = useMemo(() => merge(pushed, listed.data?.liveSalesWindows ?? []), [pushed, listed.data]);
  return (
    <section className="panel wide" aria-labelledby="live-sales-heading">
      <h2 id="live-sales-heading">Live sales</h2>
      <p className="muted">
        {live.error
          ? `Live updates stopped: ${describe(live.error)}`
          : 'Each minute’s paid orders appear here when the minute closes (a few seconds after it ends).'}
      </p>
      {/* Announced without moving the focus: the latest window to close. */}
      <p role="status" aria-live="polite" data-testid="live-sales-update">
        {announcement}
      </p>
      <ErrorMessage error={listed.error} what="the live sales" />
      {listed.loading && !listed.data && <Loading what="live sales" />}
      {!listed.loading && windows.length === 0 && <Empty>No sales in the last windows yet.</Empty>}
      {windows.length > 0 && (
        <table className="live-sales">
          <caption>Sales per category in the last {plural(windows.length, 'closed window')}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Category</th>
              <th scope="col">Orders</th>
              <th scope="col">Units</th>
              <th scope="col">Revenue</th>
              <th scope="col">Late events</th>
            </tr>
          </thead>
          {windows.map((window) => (
            <tbody key={window.start} data-window-start={window.start}>
              <tr>
                <th scope="rowgroup" rowSpan={window.categories.length + 1}>
                  {span(window)}
                </th>
                <th scope="row">All categories</th>
                <td>{window.orders}</td>
                <td>{window.units}</td>
                <td>{formatMoney(window.revenue)}</td>
                <td>{window.lateEvents}</td>
              </tr>
              {window.categories.map((row) => (
                <tr key={row.category}>
                  <th scope="row">{row.category}</th>
                  <td>{row.orders}</td>
                  <td>{row.units}</td>
                  <td>{formatMoney(row.revenue)}</td>
                  <td />
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
}
