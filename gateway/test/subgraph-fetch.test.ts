// The gateway's HTTP calls to subgraphs (src/subgraph-fetch.ts): in-flight deduplication and the
// deadline, over a real HTTP server that holds its answers until the test lets them go.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  SubgraphFetcher,
  SubgraphTimeoutError,
  isMutation,
  queryOfBody,
  useLeanSendRequest,
  type SubgraphFetchSettings,
} from '../src/subgraph-fetch';

/** A subgraph stand-in: counts requests, answers each with its body echoed once the gate opens. */
async function heldServer() {
  const received: { body: string; headers: http.IncomingHttpHeaders }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let answer: (res: http.ServerResponse, body: string) => void = (res, body) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { echo: JSON.parse(body) as unknown } }));
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      void gate.then(() => answer(res, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    /** Resolves once `count` requests have arrived. */
    receivedAtLeast: (count: number) =>
      received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    open: () => open(),
    close: () => {
      gate = new Promise<void>(() => undefined);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    answerWith(next: (res: http.ServerResponse, body: string) => void) {
      answer = next;
    },
  };
}

/** A request body as RemoteGraphQLDataSource writes it. */
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const headers = (authorization: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  authorization,
  traceparent: `00-${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}-0000000000000001-01`,
  'x-request-id': String(Math.random()),
  ...extra,
});
const query = 'query TopProducts__products__0{topProducts{upc name}}';

describe.each([
  ['undici pools', true],
  ['Node fetch', false],
])('subgraph fetches over %s', (_label, pool) => {
  let server: Awaited<ReturnType<typeof heldServer>>;
  let fetcher: SubgraphFetcher;
  const settings = (overrides: Partial<SubgraphFetchSettings> = {}): SubgraphFetchSettings => ({
    timeoutMs: 10_000,
    dedup: true,
    pool,
    poolConnections: 16,
    ...overrides,
  });
  beforeEach(async () => {
    server = await heldServer();
    fetcher = new SubgraphFetcher(settings());
  });
  afterEach(async () => {
    await fetcher.close();
    await server.close();
  });

  const post = (requestBody: string, requestHeaders: Record<string, string>, using = fetcher) =>
    using.fetcher(server.url, { method: 'POST', headers: requestHeaders, body: requestBody });

  it('sends identical concurrent queries of one identity once, each caller parsing its own copy', async () => {
    const calls = [1, 2, 3].map(() => post(body(query, { first: 2 }), headers('Bearer alice')));
    await server.receivedAtLeast(1);
    server.open();
    const responses = await Promise.all(calls);
    expect(server.received).toHaveLength(1);
    expect(fetcher.stats).toEqual({ sent: 1, deduplicated: 2 });
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as {
      data: { echo: { variables: { first: number } } };
    }[];
    expect(bodies[0]).toEqual({ data: { echo: { query, variables: { first: 2 } } } });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[1]).not.toBe(bodies[0]);
    bodies[0]!.data.echo.variables.first = 99;
    expect(bodies[2]!.data.echo.variables.first).toBe(2);
    expect(
      responses.every(
        (response) => response.ok && response.headers.get('Content-Type') === 'application/json',
      ),
    ).toBe(true);
  });

  it('does not share an answer between identities, variables or answer-changing headers', async () => {
    const calls = [
      post(body(query), headers('Bearer alice')),
      post(body(query), headers('Bearer bob')),
      post(body(query, { first: 1 }), headers('Bearer alice')),
      post(body(query), headers('Bearer alice', { 'accept-language': 'fr' })),
    ];
    await server.receivedAtLeast(4);
    server.open();
    await Promise.all(calls);
    expect(server.received).toHaveLength(4);
    expect(server.received.map((request) => request.headers.authorization).sort()).toEqual([
      'Bearer alice',
      'Bearer alice',
      'Bearer alice',
      'Bearer bob',
    ]);
    expect(fetcher.stats.deduplicated).toBe(0);
  });

  it('never deduplicates mutations', async () => {
    const mutation = 'mutation Checkout__orders__0($cart:ID!){checkout(cart:$cart){id}}';
    const calls = [1, 2].map(() => post(body(mutation, { cart: 'c1' }), headers('Bearer alice')));
    await server.receivedAtLeast(2);
    server.open();
    await Promise.all(calls);
    expect(server.received).toHaveLength(2);
  });

  it('sends again once the first answer is in: only requests in flight are shared', async () => {
    server.open();
    await post(body(query), headers('Bearer alice'));
    await post(body(query), headers('Bearer alice'));
    expect(server.received).toHaveLength(2);
  });

  it('sends every request when deduplication is off', async () => {
    const plain = new SubgraphFetcher(settings({ dedup: false }));
    try {
      const calls = [1, 2].map(() => post(body(query), headers('Bearer alice'), plain));
      await server.receivedAtLeast(2);
      server.open();
      await Promise.all(calls);
      expect(server.received).toHaveLength(2);
    } finally {
      await plain.close();
    }
  });

  it('gives every waiter the error status of a shared call', async () => {
    server.answerWith((res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end('{"errors":[{"message":"overloaded"}]}');
    });
    const calls = [1, 2].map(() => post(body(query), headers('Bearer alice')));
    await server.receivedAtLeast(1);
    server.open();
    const responses = await Promise.all(calls);
    expect(server.received).toHaveLength(1);
    expect(responses.map((response) => [response.ok, response.status])).toEqual([
      [false, 503],
      [false, 503],
    ]);
    expect(await responses[1]!.json()).toEqual({ errors: [{ message: 'overloaded' }] });
  });

  it('rejects every waiter when the connection fails', async () => {
    server.answerWith((res) => res.socket?.destroy());
    const calls = [1, 2].map(() => post(body(query), headers('Bearer alice')));
    await server.receivedAtLeast(1);
    server.open();
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(server.received).toHaveLength(1);
  });

  it('keeps the deadline: a shared call that does not answer in time fails for every waiter', async () => {
    const impatient = new SubgraphFetcher(settings({ timeoutMs: 50 }));
    try {
      // The gate never opens: the subgraph never answers.
      const calls = [1, 2].map(() => post(body(query), headers('Bearer alice'), impatient));
      const outcomes = await Promise.allSettled(calls);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(SubgraphTimeoutError);
      }
      expect(impatient.stats).toEqual({ sent: 1, deduplicated: 1 });
    } finally {
      await impatient.close();
    }
  });
});

describe('reading subgraph request bodies', () => {
  it('finds the query at the head of the body, escapes included', () => {
    const document = 'query Q($a:String){f(a:"x\\"y")}';
    expect(queryOfBody(JSON.stringify({ query: document, variables: { a: '"' } }))).toBe(document);
    expect(queryOfBody(JSON.stringify({ variables: {}, query: document }))).toBeUndefined();
    expect(queryOfBody('{"query":"unterminated')).toBeUndefined();
  });

  it('tells mutations from queries; an unparsable document counts as a mutation', () => {
    expect(isMutation('query A{a}')).toBe(false);
    expect(isMutation('{a}')).toBe(false);
    expect(isMutation('fragment F on Mutation{a} mutation M{...F}')).toBe(true);
    expect(isMutation('query A{a} mutation B{b}')).toBe(true);
    expect(isMutation('mutation {')).toBe(true);
  });
});

describe('the lean sendRequest', () => {
  // The stock RemoteGraphQLDataSource and one with the lean sendRequest, over the same fetcher,
  // must answer and fail identically.
  const answers: [string, (res: http.ServerResponse, body: string) => void][] = [
    [
      'a JSON answer',
      (res, body) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { echo: JSON.parse(body) as unknown } }));
      },
    ],
    [
      'a 401',
      (res) => {
        res.statusCode = 401;
        res.setHeader('content-type', 'application/json');
        res.end('{"errors":[{"message":"no"}]}');
      },
    ],
    [
      'a 500 in plain text',
      (res) => {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain');
        res.end('boom');
      },
    ],
    [
      'a 200 that is not JSON',
      (res) => {
        res.setHeader('content-type', 'text/plain');
        res.end('hello');
      },
    ],
  ];

  it.each(answers)('answers %s as the stock one does', async (_label, answer) => {
    const server = await heldServer();
    server.answerWith(answer);
    server.open();
    const fetcher = new SubgraphFetcher({ timeoutMs: 5_000, dedup: false, pool: true, poolConnections: 4 });
    const outcome = async (lean: boolean) => {
      const source = new RemoteGraphQLDataSource({ url: server.url, fetcher: fetcher.fetcher });
      expect(lean ? useLeanSendRequest(source) : true).toBe(true);
      try {
        // A request outside any client operation (the enum is not exported by @apollo/gateway).
        const options = {
          kind: 'health check',
          request: { query: '{ a }', variables: {} },
          context: {},
        } as unknown as GraphQLDataSourceProcessOptions;
        const response = await source.process(options);
        return { data: response.data, errors: response.errors, status: response.http?.status };
      } catch (error) {
        const { message, extensions } = error as { message: string; extensions?: unknown };
        return { thrown: { message, extensions } };
      }
    };
    try {
      const stock = await outcome(false);
      expect(await outcome(true)).toEqual(stock);
    } finally {
      await fetcher.close();
      await server.close();
    }
  });
});
