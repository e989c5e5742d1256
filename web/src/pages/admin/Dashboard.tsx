// The insights dashboard (ADMIN): live sales windows, revenue over time, top products, category
// split, sentiment. Each part has its own query, so one failing service leaves the others drawn.
import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { graphql } from '../../__generated__';
import { formatMoney } from '../../money';
import { Empty, ErrorMessage, Loading } from '../../components/Status';
import { LiveSales } from './LiveSales';

const SalesQuery = graphql(`
  query SalesSummary($from: DateTime!, $to: DateTime!) {
    salesSummary(from: $from, to: $to, granularity: DAY) {
      periodStart
      orders
      revenue {
        amount
        currency
      }
    }
  }
`);

const TopProductsQuery = graphql(`
  query TopProducts($from: DateTime!, $to: DateTime!) {
    topProducts(from: $from, to: $to, first: 8) {
      units
      revenue {
        amount
        currency
      }
      product {
        id
        name
        sentiment {
          positive
          neutral
          negative
          mixed
        }
      }
    }
  }
`);

const CategoriesQuery = graphql(`
  query CategoryBreakdown($from: DateTime!, $to: DateTime!) {
    categoryBreakdown(from: $from, to: $to) {
      category
      units
      revenue {
        amount
        currency
      }
    }
  }
`);

const DAY_MS = 86_400_000;
const COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf'];
const SENTIMENT = [
  { key: 'positive', color: '#047857' },
  { key: 'neutral', color: '#6b7280' },
  { key: 'mixed', color: '#b45309' },
  { key: 'negative', color: '#be123c' },
] as const;

function range(days: number) {
  const tomorrow = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  return { from: new Date(tomorrow.getTime() - days * DAY_MS).toISOString(), to: tomorrow.toISOString() };
}

const analysed = (s?: { positive: number; neutral: number; negative: number; mixed: number } | null) =>
  Boolean(s && s.positive + s.neutral + s.negative + s.mixed > 0);

const dollars = (amount: number) => Math.round(amount) / 100;

function Revenue({ variables }: { variables: { from: string; to: string } }) {
  const { data, loading, error, refetch } = useQuery(SalesQuery, {
    variables,
    fetchPolicy: 'cache-and-network',
  });
  const rows = data?.salesSummary ?? [];
  const total = rows.reduce((sum, row) => sum + row.revenue.amount, 0);
  const currency = rows[0]?.revenue.currency ?? 'USD';
  return (
    <section className="panel wide" aria-labelledby="revenue-heading">
      <div className="panel-head">
        <h2 id="revenue-heading">Revenue per day</h2>
        <button type="button" className="secondary" onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={error} what="revenue" />
      {loading && !data && <Loading what="revenue" />}
      {data && (
        <>
          <p>
            Total: <strong data-testid="revenue-total">{formatMoney({ amount: total, currency })}</strong>{' '}
            from {rows.reduce((sum, row) => sum + row.orders, 0)} orders
          </p>
          {total === 0 ? (
            <Empty>No sales in this period yet.</Empty>
          ) : (
            <div
              className="chart"
              data-testid="revenue-chart"
              role="img"
              aria-label={`Revenue per day, ${formatMoney({ amount: total, currency })} in total`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <LineChart
                  data={rows.map((row) => ({
                    day: row.periodStart.slice(5, 10),
                    revenue: dollars(row.revenue.amount),
                    orders: row.orders,
                  }))}
                >
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis />
                  <Tooltip />
                  <Line
                    type="linear"
                    dataKey="revenue"
                    name={`Revenue (${currency})`}
                    stroke={COLORS[0]}
                    strokeWidth={2}
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function TopProducts({ variables }: { variables: { from: string; to: string } }) {
  const { data, loading, error } = useQuery(TopProductsQuery, {
    variables,
    fetchPolicy: 'cache-and-network',
  });
  const rows = data?.topProducts ?? [];
  return (
    <>
      <section className="panel" aria-labelledby="top-heading">
        <h2 id="top-heading">Top products by revenue</h2>
        <ErrorMessage error={error} what="top products" />
        {loading && !data && <Loading what="top products" />}
        {data && rows.length === 0 && <Empty>No sales yet.</Empty>}
        {rows.length > 0 && (
          <div className="chart" role="img" aria-label="Top products by revenue">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={rows.map((row) => ({
                  name: row.product?.name ?? '(unavailable)',
                  revenue: dollars(row.revenue.amount),
                }))}
                layout="vertical"
                margin={{ left: 40 }}
              >
                <XAxis type="number" />
                <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Bar dataKey="revenue" fill={COLORS[1]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="sentiment-heading">
        <h2 id="sentiment-heading">Review sentiment of top products</h2>
        {rows.length > 0 && rows.every((row) => !row.product?.sentiment) && (
          <p className="status error">Sentiment is unavailable right now.</p>
        )}
        {data && rows.length === 0 && <Empty>No products to show.</Empty>}
        {rows.some((row) => row.product?.sentiment) &&
          !rows.some((row) => analysed(row.product?.sentiment)) && (
            <Empty>None of these products has an analysed review yet.</Empty>
          )}
        {rows.some((row) => analysed(row.product?.sentiment)) && (
          <div className="chart" role="img" aria-label="Review sentiment per product">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={rows.map((row) => ({
                  name: row.product?.name ?? '(unavailable)',
                  ...row.product?.sentiment,
                }))}
                layout="vertical"
                margin={{ left: 40 }}
              >
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Legend />
                {SENTIMENT.map(({ key, color }) => (
                  <Bar key={key} dataKey={key} stackId="s" fill={color} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
    </>
  );
}

function Categories({ variables }: { variables: { from: string; to: string } }) {
  const { data, loading, error } = useQuery(CategoriesQuery, { variables, fetchPolicy: 'cache-and-network' });
  const rows = data?.categoryBreakdown ?? [];
  return (
    <section className="panel" aria-labelledby="category-heading">
      <h2 id="category-heading">Revenue by category</h2>
      <ErrorMessage error={error} what="categories" />
      {loading && !data && <Loading what="categories" />}
      {data && rows.length === 0 && <Empty>No sales yet.</Empty>}
      {rows.length > 0 && (
        <div className="chart" role="img" aria-label="Revenue by category">
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={rows.map((row) => ({ name: row.category, value: dollars(row.revenue.amount) }))}
                dataKey="value"
                nameKey="name"
                outerRadius="75%"
                isAnimationActive={false}
              >
                {rows.map((row, index) => (
                  <Cell key={row.category} fill={COLORS[index % COLORS.length]} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
            </PieChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}

export function Dashboard() {
  const [days, setDays] = useState(30);
  const current = useMemo(() => range(days), [days]);
  return (
    <div className="stack">
      <div className="panel-head">
        <h1>Insights</h1>
        <label>
          Period{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
      </div>
      <div className="dashboard">
        <LiveSales />
        <Revenue variables={current} />
        <TopProducts variables={current} />
        <Categories variables={current} />
      </div>
    </div>
  );
}
