// Federated subscriptions at the gateway, on every event bus adapter: a checkout's events reach
// graphql-ws and multipart-HTTP subscribers with fields of four subgraphs, access is checked at
// subscribe time and on each event, and nobody gets an event twice.
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  freePort,
  type KafkaMock,
  mintCaller,
  postGraphQL,
  signUp,
  startKafkaMock,
  startTestSupergraph,
  type TestSupergraph,
  waitFor,
} from '@cloudmart/test-kit';
import { ORDER_EVENTS_TOPIC } from '@cloudmart/runtime';
import { PRODUCT_EVENTS_TOPIC } from '@cloudmart/products/contract';
import { start as startGateway, type RunningGateway } from '@cloudmart/gateway/server';

const ORDER_UPDATED = `subscription OrderUpdated($id: ID!) {
  orderUpdated(orderId: $id) {
    id status
    items { quantity product { name } }
    user { email }
    payment { status }
  }
}`;

const MY_ORDER_UPDATES = `subscription {
  myOrderUpdates { id status items { quantity product { name } } user { email } payment { status } }
}`;

interface OrderUpdate {
  id: string;
  status: string;
  items: { quantity: number; product: { name: string } }[];
  user: { email: string };
  payment: { status: string } | null;
}

type Result = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

export function wsClient(graph: TestSupergraph, caller: Caller | undefined): Client {
  return createClient({
    url: graph.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: caller ? { authorization: caller.headers.authorization } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects results (and a final error, if any) until stopped. */
export function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: Result[] = [];
  let failure: unknown;
  let completed = false;
  const stop = client.subscribe(
    { query, variables },
    {
      next: (value) => void results.push(value as Result),
      error: (error) => {
        failure = error;
      },
      complete: () => {
        completed = true;
      },
    },
  );
  return {
    results,
    stop,
    get failure() {
      return failure;
    },
    get completed() {
      return completed;
    },
  };
}

/** A multipart-HTTP subscription: the parts' payloads, parsed as they arrive. */
export async function multipartSubscribe(graph: TestSupergraph, caller: Caller, query: string, variables: Record<string, unknown>) {
  const controller = new AbortController();
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    signal: controller.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;subscriptionSpec="1.0", application/json',
      ...caller.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const payloads: Result[] = [];
  let heartbeats = 0;
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      const parts = text.split('\r\n--graphql');
      text = parts.pop()!; // possibly incomplete
      for (const part of parts) {
        const json = part.slice(part.indexOf('\r\n\r\n') + 4).trim();
        if (!json) continue;
        const body = JSON.parse(json) as { payload?: Result };
        if (body.payload) payloads.push(body.payload);
        else heartbeats += 1;
      }
    }
  })().catch(() => undefined);
  return {
    response,
    payloads,
    get heartbeats() {
      return heartbeats;
    },
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

const adapters: { name: string; env: () => Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }> }[] = [
  { name: 'the file log (default)', env: async () => ({ env: {}, stop: async () => undefined }) },
  { name: 'the in-process log', env: async () => ({ env: { EVENT_BUS: 'in-process' }, stop: async () => undefined }) },
  {
    name: 'Kafka (librdkafka mock cluster)',
    env: async () => {
      const mock: KafkaMock = startKafkaMock();
      mock.createTopic(ORDER_EVENTS_TOPIC, 3);
      mock.createTopic(PRODUCT_EVENTS_TOPIC, 3); // the gateway's entity cache follows it
      return { env: { EVENT_BUS: 'kafka', KAFKA_BROKERS: mock.brokers.join(',') }, stop: async () => mock.stop() };
    },
  },
];

describe.each(adapters)('subscriptions over $name', (adapter) => {
  let graph: TestSupergraph;
  let admin: Caller;
  let stopBus: () => Promise<void>;
  const clients: Client[] = [];
  const streams: { close(): Promise<void> }[] = [];
  const open = (caller: Caller | undefined) => {
    const client = wsClient(graph, caller);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    const bus = await adapter.env();
    stopBus = bus.stop;
    graph = await startTestSupergraph({ env: bus.env, only: ['users', 'products', 'payments', 'orders'] });
    admin = await mintCaller(graph, 'ADMIN');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await Promise.all(streams.splice(0).map((stream) => stream.close()));
    await waitFor('subscriptions to end', () => (graph.gateway as RunningGateway).activeSubscriptions() === 0);
  });
  afterAll(async () => {
    await graph?.stop();
    await stopBus?.();
  });

  async function shopperWithCart(name: string) {
    const email = `sub-${randomUUID()}@example.com`;
    const signedUp = await signUp(graph.gatewayUrl, email, 'Sub Scriber');
    const shopper: Caller = { userId: signedUp.id, headers: { authorization: `Bearer ${signedUp.token}` } };
    const productId = await createProduct(graph, admin, { stock: 10, price: 2_500, name });
    await addToCart(graph, shopper, productId, 2);
    return { shopper, email };
  }

  async function placeOrder(shopper: Caller) {
    return dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' })).checkout;
  }

  it('a graphql-ws subscriber to orderUpdated gets PAID with fields of users, products and payments', async () => {
    const { shopper, email } = await shopperWithCart('Subscribed lamp');
    const expected = (orderId: string, status: string, payment: string) => ({
      id: orderId,
      status,
      items: [{ quantity: 2, product: { name: 'Subscribed lamp' } }],
      user: { email },
      payment: { status: payment },
    });
    // Subscribed before the checkout: the checkout's events themselves.
    const mine = collect(open(shopper), MY_ORDER_UPDATES);
    await subscribed(1);
    const order = await placeOrder(shopper);
    // Subscribed right after it: the order as it is now, then each change.
    const followed = collect(open(shopper), ORDER_UPDATED, { id: order.id });
    await waitFor('PAID through orderUpdated', () => followed.results.length > 0);
    expect(followed.results[0]).toEqual({ data: { orderUpdated: expected(order.id, 'PAID', 'AUTHORIZED') } });
    // Two events (placed, paid); each is resolved when it arrives, so both may already read PAID.
    await waitFor('both events through myOrderUpdates', () => mine.results.length === 2);
    expect(mine.results.at(-1)).toEqual({ data: { myOrderUpdates: expected(order.id, 'PAID', 'AUTHORIZED') } });

    // An admin moves the order along: the owner's orderUpdated gets the change.
    await subscribed(2);
    await updateStatus(order.id, 'FULFILLING');
    // The PAID event may still arrive after the snapshot (it then reads the same state); the change follows.
    await waitFor('FULFILLING', () => followed.results.some((r) => (r.data?.orderUpdated as OrderUpdate).status === 'FULFILLING'));
    expect(followed.results.at(-1)).toEqual({ data: { orderUpdated: expected(order.id, 'FULFILLING', 'CAPTURED') } });
  });

  /** Waits until the gateway serves `count` subscriptions: events from then on reach them. */
  const subscribed = (count: number) =>
    waitFor(`${count} subscriptions`, () => (graph.gateway as RunningGateway).activeSubscriptions() === count);

  async function updateStatus(orderId: string, status: string) {
    dataOf(
      await postGraphQL(
        graph.gatewayUrl,
        'mutation($id: ID!, $s: OrderStatus!) { updateOrderStatus(orderId: $id, status: $s) { status } }',
        { id: orderId, s: status },
        admin.headers,
      ),
    );
  }

  it('a multipart-HTTP subscriber receives the same events', async () => {
    const { shopper, email } = await shopperWithCart('Multipart kettle');
    const order = await placeOrder(shopper);
    const stream = await multipartSubscribe(graph, shopper, ORDER_UPDATED, { id: order.id });
    streams.push(stream);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    await subscribed(1);
    await updateStatus(order.id, 'FULFILLING');
    await waitFor('the FULFILLING part', () =>
      stream.payloads.some((p) => (p.data?.orderUpdated as OrderUpdate | undefined)?.status === 'FULFILLING'),
    );
    expect(stream.payloads[0]!.data).toMatchObject({ orderUpdated: { id: order.id, status: 'PAID' } });
    expect(stream.payloads.at(-1)).toEqual({
      data: {
        orderUpdated: {
          id: order.id,
          status: 'FULFILLING',
          items: [{ quantity: 2, product: { name: 'Multipart kettle' } }],
          user: { email },
          payment: { status: 'CAPTURED' },
        },
      },
    });
    await stream.close();
  });

  it('refuses another user’s order with FORBIDDEN, and a connection without a valid token', async () => {
    const { shopper } = await shopperWithCart('Private order');
    const order = await placeOrder(shopper);
    const stranger = await mintCaller(graph, 'CUSTOMER');
    const refused = collect(open(stranger), ORDER_UPDATED, { id: order.id });
    await waitFor('the refusal', () => refused.failure !== undefined);
    expect((refused.failure as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // Over multipart too.
    const stream = await multipartSubscribe(graph, stranger, ORDER_UPDATED, { id: order.id });
    streams.push(stream);
    await waitFor('the multipart refusal', () => stream.payloads.length > 0);
    expect(stream.payloads[0]!.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    await stream.close();

    // orderEvents is for admins only.
    const notAdmin = collect(open(shopper), 'subscription { orderEvents { status } }');
    await waitFor('the orderEvents refusal', () => notAdmin.failure !== undefined);
    expect((notAdmin.failure as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // No token, or a forged one: the socket is closed with 4403 Forbidden.
    for (const caller of [undefined, { userId: 'x', headers: { authorization: 'Bearer not.a.token' } }]) {
      const refusedSocket = collect(open(caller), 'subscription { myOrderUpdates { id } }');
      await waitFor('the close', () => refusedSocket.failure !== undefined);
      expect((refusedSocket.failure as { code?: number }).code).toBe(4403);
    }
  });

  it('after a gateway restart, a reconnecting subscriber gets new events', async () => {
    const { shopper } = await shopperWithCart('Restart mug');
    const order = await placeOrder(shopper);
    // A second gateway on a port of its own, restarted on the same port; the harness's gateway makes the changes.
    const env = { ...graph.env, PORT: String(await freePort()) };
    let restartable = await startGateway(env);
    const client = createClient({
      url: restartable.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: shopper.headers.authorization },
      retryAttempts: 600, // 100 ms apart: up to a minute while the gateway restarts
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
      shouldRetry: () => true,
    });
    clients.push(client);
    const followed = collect(client, ORDER_UPDATED, { id: order.id });
    try {
      await waitFor('the subscription', () => restartable.activeSubscriptions() === 1);
      await restartable.stop();
      restartable = await startGateway(env);
      await waitFor('the client to reconnect and subscribe again', () => restartable.activeSubscriptions() === 1);
      await updateStatus(order.id, 'FULFILLING');
      await waitFor('FULFILLING after the restart', () =>
        followed.results.some((r) => (r.data?.orderUpdated as OrderUpdate).status === 'FULFILLING'),
      );
      expect(followed.failure).toBeUndefined();
    } finally {
      await client.dispose();
      await restartable.stop();
    }
  });

  it('an admin’s orderEvents sees every order’s events once each, with the order resolved', async () => {
    const everything = collect(open(admin), 'subscription { orderEvents { status at order { id number user { email } } } }');
    await subscribed(1);
    const { shopper, email } = await shopperWithCart('Watched item');
    const order = await placeOrder(shopper);
    await waitFor('PENDING_PAYMENT and PAID', () =>
      everything.results.filter((r) => (r.data?.orderEvents as { order: { id: string } }).order.id === order.id).length === 2,
    );
    const forOrder = everything.results
      .map((r) => r.data?.orderEvents as { status: string; at: string; order: { id: string; number: string; user: { email: string } } })
      .filter((event) => event.order.id === order.id);
    expect(forOrder.map((event) => event.status)).toEqual(['PENDING_PAYMENT', 'PAID']);
    expect(forOrder.every((event) => event.order.number === order.number && event.order.user.email === email)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show up here
    expect(everything.results.filter((r) => (r.data?.orderEvents as { order: { id: string } }).order.id === order.id)).toHaveLength(2);
  });
});
