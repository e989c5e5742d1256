// The BigQuery warehouse adapter with the real @google-cloud/bigquery SDK against a local server
// speaking the BigQuery REST API (test/fakes/bigquery-server.ts): dataset and day-partitioned
// tables created when missing, streaming inserts with insertId = the row's key, partial insert
// failures retried with the same insertId, and queries with named, typed parameters.
// The fake does not execute SQL: it checks what the SDK sent and answers the rows a test gives.
import { OAuth2Client } from 'google-auth-library';
import { BigQueryWarehouse } from '../src/services/warehouse/bigquery';
import { emptyRows, type WarehouseRows } from '../src/services/warehouse/warehouse';
import { FakeBigQueryServer } from './fakes/bigquery-server';

process.env.METADATA_SERVER_DETECTION = 'none';

/** What the SDK sends to tables.insert and jobs.query (the fields these tests look at). */
interface TableResource {
  tableReference: { tableId: string };
  timePartitioning: { type: string; field: string };
  schema: { fields: { name: string; type: string; mode: string }[] };
}
interface QueryRequest {
  query: string;
  useLegacySql: boolean;
  parameterMode: string;
  location: string;
  queryParameters: { name: string; parameterType: { type: string }; parameterValue: { value: unknown } }[];
}

function rowsOf(orderId: string): WarehouseRows {
  const placedAt = '2026-11-02T10:00:00.000Z';
  return {
    orders: [
      {
        eventId: `event-${orderId}`,
        orderId,
        userId: 'u1',
        currency: 'USD',
        subtotal: 4_500,
        tax: 360,
        shipping: 599,
        total: 5_459,
        placedAt,
      },
    ],
    orderLines: [
      {
        lineId: `${orderId}#1`,
        orderId,
        productId: 'p1',
        category: 'headphones',
        quantity: 2,
        unitPrice: 1_000,
        lineTotal: 2_000,
        placedAt,
      },
      {
        lineId: `${orderId}#2`,
        orderId,
        productId: 'p2',
        category: 'speakers',
        quantity: 1,
        unitPrice: 2_500,
        lineTotal: 2_500,
        placedAt,
      },
    ],
    statusChanges: [
      {
        changeId: `${orderId}#PENDING_PAYMENT`,
        eventId: `event-${orderId}`,
        orderId,
        status: 'PENDING_PAYMENT',
        statusRank: 0,
        occurredAt: placedAt,
      },
    ],
  };
}

describe('BigQuery warehouse (contract, real SDK against a local BigQuery API server)', () => {
  let fake: FakeBigQueryServer;
  let warehouse: BigQueryWarehouse;

  const newWarehouse = (token = fake.accessToken) => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
    return new BigQueryWarehouse({
      projectId: 'cloudmart-test',
      dataset: 'insights',
      location: 'EU',
      apiEndpoint: fake.url,
      authClient: auth,
    });
  };

  beforeAll(async () => {
    fake = await new FakeBigQueryServer().start();
    warehouse = newWarehouse();
  });
  afterAll(async () => {
    await warehouse?.close();
    await fake?.stop();
  });

  it('creates the dataset and day-partitioned tables when missing, and only then', async () => {
    await warehouse.open();
    const creates = fake.requests.filter((r) => r.method === 'POST');
    expect(creates.map((r) => r.path)).toEqual([
      '/bigquery/v2/projects/cloudmart-test/datasets',
      '/bigquery/v2/projects/cloudmart-test/datasets/insights/tables',
      '/bigquery/v2/projects/cloudmart-test/datasets/insights/tables',
      '/bigquery/v2/projects/cloudmart-test/datasets/insights/tables',
    ]);
    expect(creates[0]!.body).toMatchObject({ datasetReference: { datasetId: 'insights' }, location: 'EU' });
    const tables = creates.slice(1).map((r) => r.body as unknown as TableResource);
    expect(tables.map((t) => [t.tableReference.tableId, t.timePartitioning])).toEqual([
      ['orders', { type: 'DAY', field: 'placed_at' }],
      ['order_lines', { type: 'DAY', field: 'placed_at' }],
      ['status_changes', { type: 'DAY', field: 'occurred_at' }],
    ]);
    expect(tables[0]!.schema.fields).toContainEqual({ name: 'total', type: 'INT64', mode: 'NULLABLE' });
    expect(tables[0]!.schema.fields).toContainEqual({
      name: 'placed_at',
      type: 'TIMESTAMP',
      mode: 'NULLABLE',
    });

    const before = fake.requests.length;
    await newWarehouse().open(); // everything exists now: only reads
    expect(fake.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
  });

  it('streams rows with insertId = the row key; a repeated load is de-duplicated on it', async () => {
    await warehouse.load(rowsOf('o1'));
    await warehouse.load(rowsOf('o1'));
    const inserts = fake.requests.filter((r) => r.path.endsWith('/insertAll'));
    const sent = inserts.flatMap((r) => (r.body!.rows as { insertId: string }[]).map((row) => row.insertId));
    expect(sent).toEqual([
      'o1',
      'o1#1',
      'o1#2',
      'o1#PENDING_PAYMENT',
      'o1',
      'o1#1',
      'o1#2',
      'o1#PENDING_PAYMENT',
    ]);
    expect(inserts[0]!.body!.rows).toEqual([
      {
        insertId: 'o1',
        json: {
          order_id: 'o1',
          event_id: 'event-o1',
          user_id: 'u1',
          currency: 'USD',
          subtotal: 4_500,
          tax: 360,
          shipping: 599,
          total: 5_459,
          placed_at: '2026-11-02T10:00:00.000Z',
        },
      },
    ]);
    expect(fake.table('orders')!.rows.size).toBe(1);
    expect(fake.table('order_lines')!.rows.size).toBe(2);
  });

  it('retries the rows of a partial insert failure with the same insertId', async () => {
    fake.insertFailures.push({ matches: (row) => row.line_id === 'o2#2', times: 2 });
    await warehouse.load(rowsOf('o2'));
    const lines = fake.table('order_lines')!;
    expect([...lines.rows.keys()].filter((id) => id.startsWith('o2')).sort()).toEqual(['o2#1', 'o2#2']);
    // Two failed attempts (the whole request: the failing row and the "stopped" one), then stored once.
    const attempts = fake.requests
      .filter((r) => r.path.endsWith('/order_lines/insertAll'))
      .map((r) => (r.body!.rows as { insertId: string }[]).map((row) => row.insertId).sort())
      .filter((ids) => ids.some((id) => id.startsWith('o2')));
    expect(attempts).toEqual([
      ['o2#1', 'o2#2'],
      ['o2#1', 'o2#2'],
      ['o2#1', 'o2#2'],
    ]);
  });

  it('fails the load when rows keep failing, so the sink gets the event again', async () => {
    fake.insertFailures.push({ matches: (row) => row.order_id === 'o3', times: Infinity, reason: 'invalid' });
    await expect(warehouse.load(rowsOf('o3'))).rejects.toMatchObject({ name: 'PartialFailureError' });
    const attempts = fake.requests.filter(
      (r) =>
        r.path.endsWith('/orders/insertAll') &&
        (r.body!.rows as { insertId: string }[])[0]!.insertId === 'o3',
    );
    expect(attempts).toHaveLength(4); // the SDK's 3 retries
    fake.insertFailures.length = 0;
  });

  it('queries with named, typed parameters and the BigQuery dialect, and reads typed rows', async () => {
    fake.pollsBeforeComplete = 1; // the SDK must poll getQueryResults
    fake.answer = () => ({
      fields: [
        { name: 'period_start', type: 'STRING' },
        { name: 'orders', type: 'INT64' },
        { name: 'revenue', type: 'INT64' },
      ],
      rows: [
        ['2026-10-26T00:00:00Z', '3', '16377'],
        ['2026-11-02T00:00:00Z', '1', '5459'],
      ],
    });
    const range = {
      from: new Date('2026-10-26T00:00:00Z'),
      to: new Date('2026-11-09T00:00:00Z'),
      currency: 'USD',
    };
    expect(await warehouse.salesByPeriod(range, 'WEEK')).toEqual([
      { periodStart: new Date('2026-10-26T00:00:00Z'), orders: 3, revenue: 16_377 },
      { periodStart: new Date('2026-11-02T00:00:00Z'), orders: 1, revenue: 5_459 },
    ]);
    const query = fake.requests.filter((r) => r.path.endsWith('/queries')).at(-1)!
      .body as unknown as QueryRequest;
    expect(query.useLegacySql).toBe(false);
    expect(query.parameterMode).toMatch(/^named$/i);
    expect(query.location).toBe('EU');
    expect(query.query).toContain('TIMESTAMP_TRUNC(placed_at, ISOWEEK)');
    expect(query.query).toContain('`cloudmart-test.insights.orders`');
    expect(query.query).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id) = 1');
    const params: Record<string, [string, string]> = Object.fromEntries(
      (
        query.queryParameters as {
          name: string;
          parameterType: { type: string };
          parameterValue: { value: unknown };
        }[]
      ).map((p) => [p.name, [p.parameterType.type, String(p.parameterValue.value)]]),
    );
    expect(params.currency).toEqual(['STRING', 'USD']);
    expect(params.minRank).toEqual(['INT64', '1']);
    expect(params.maxRank).toEqual(['INT64', '4']);
    expect(params.from![0]).toBe('TIMESTAMP');
    expect(new Date(params.from![1]).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(fake.requests.some((r) => r.method === 'GET' && /\/queries\/job_\d+$/.test(r.path))).toBe(true);
    fake.pollsBeforeComplete = 0;
  });

  it('reports a query the service rejects, and a request without valid credentials', async () => {
    fake.answer = () => ({ error: { code: 400, message: 'Syntax error: Unexpected keyword' } });
    const range = {
      from: new Date('2026-10-01T00:00:00Z'),
      to: new Date('2026-11-01T00:00:00Z'),
      currency: 'USD',
    };
    await expect(warehouse.categoryBreakdown(range)).rejects.toThrow(/Syntax error/);
    await expect(newWarehouse('wrong-token').open()).rejects.toMatchObject({ code: 401 });
  });

  it('loads nothing for no rows', async () => {
    const before = fake.requests.length;
    await warehouse.load(emptyRows());
    expect(fake.requests.length).toBe(before);
  });
});
