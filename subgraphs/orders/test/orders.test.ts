// Who may read an order (through the gateway and through _entities on the subgraphs), a user's
// order list, and the lifecycle after checkout: fulfilment captures, cancelling releases and refunds.
import { randomUUID } from 'node:crypto';
import { DEVELOPMENT_INTERNAL_API_SECRET } from '@cloudmart/runtime';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  errorCodes,
  gql,
  mintCaller,
  postGraphQL,
  scanTable,
  signUp,
  startTestSupergraph,
  stockOf,
  type TestSupergraph,
  viaGateway,
} from '@cloudmart/test-kit';

const ORDER = 'query($id: ID!) { order(id: $id) { id status user { id } } }';
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id status total { amount } } } }`;
const PAYMENT_ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id payment { status } } } }`;
const UPDATE =
  'mutation($id: ID!, $s: OrderStatus!) { updateOrderStatus(orderId: $id, status: $s) { status events { status } } }';
const CANCEL = 'mutation($id: ID!) { cancelOrder(orderId: $id) { status events { status } } }';
const PAYMENT = 'query($id: ID!) { order(id: $id) { payment { status } } }';

describe('orders after checkout', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  let productId: string;

  const placeOrder = async (shopper: Caller, quantity = 1) => {
    await addToCart(graph, shopper, productId, quantity);
    return dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }))
      .checkout;
  };

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    admin = await mintCaller(graph, 'ADMIN');
    productId = await createProduct(graph, admin, { stock: 100 });
  });
  afterAll(() => graph?.stop());

  it("refuses user B user A's order, through the gateway and through _entities on the orders and payments subgraphs", async () => {
    const [alice, bob] = await Promise.all([mintCaller(graph), mintCaller(graph)]);
    const order = await placeOrder(alice);

    expect(dataOf(await gql(graph, ORDER, { id: order.id }, alice))).toEqual({
      order: { id: order.id, status: 'PAID', user: { id: alice.userId } },
    });
    const asBob = await gql(graph, ORDER, { id: order.id }, bob);
    expect(errorCodes(asBob)).toEqual(['FORBIDDEN']);
    expect(asBob.data?.order ?? null).toBeNull();
    // order is @authenticated: the gateway removes it for a guest (docs/security.md).
    expect(errorCodes(await gql(graph, ORDER, { id: order.id }))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(dataOf(await gql(graph, ORDER, { id: order.id }, admin))).toMatchObject({
      order: { id: order.id },
    });
    expect(errorCodes(await gql(graph, ORDER, { id: randomUUID() }, alice))).toEqual(['NOT_FOUND']);

    const reps = [{ __typename: 'Order', id: order.id }];
    // Straight at the subgraphs, as the gateway would send them (each subgraph checks ownership
    // itself); with a client's own token instead, they answer nothing at all.
    const direct = async (url: string, query: string, caller?: Caller) =>
      postGraphQL(url, query, { reps }, await viaGateway(graph, caller));
    const ordersUrl = graph.subgraphUrls.orders!;
    const paymentsUrl = graph.subgraphUrls.payments!;
    expect(errorCodes(await postGraphQL(ordersUrl, ENTITIES, { reps }, alice.headers))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await direct(ordersUrl, ENTITIES, bob))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await direct(ordersUrl, ENTITIES))).toEqual(['UNAUTHENTICATED']);
    expect(dataOf(await direct(ordersUrl, ENTITIES, alice))).toEqual({
      _entities: [{ id: order.id, status: 'PAID', total: { amount: order.total.amount } }],
    });
    expect(errorCodes(await direct(paymentsUrl, PAYMENT_ENTITIES, bob))).toEqual(['FORBIDDEN']);
    expect(dataOf(await direct(paymentsUrl, PAYMENT_ENTITIES, alice))).toEqual({
      _entities: [{ id: order.id, payment: { status: 'AUTHORIZED' } }],
    });
  });

  it("lists a user's orders newest first, page by page, to the user and admins only", async () => {
    const [carol, dave] = await Promise.all([mintCaller(graph), mintCaller(graph)]);
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push(await placeOrder(carol));
    const LIST = `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) {
      ... on User { orders(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }`;
    type Page = {
      _entities: {
        orders: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }[];
    };
    const reps = [{ __typename: 'User', id: carol.userId }];
    const url = graph.subgraphUrls.orders!;
    const [asCarol, asDave, asAdmin] = await Promise.all([carol, dave, admin].map((caller) => viaGateway(graph, caller)));
    const first = dataOf(await postGraphQL<Page>(url, LIST, { reps }, asCarol))._entities[0]!.orders;
    expect(first.edges.map((edge) => edge.node.id)).toEqual([placed[2]!.id, placed[1]!.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await postGraphQL<Page>(url, LIST, { reps, after: first.pageInfo.endCursor }, asCarol),
    )._entities[0]!.orders;
    expect(second.edges.map((edge) => edge.node.id)).toEqual([placed[0]!.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(errorCodes(await postGraphQL(url, LIST, { reps }, asDave))).toEqual(['FORBIDDEN']);
    expect(
      dataOf(await postGraphQL<Page>(url, LIST, { reps }, asAdmin))._entities[0]!.orders.edges,
    ).toHaveLength(2);

    // Through the gateway, beside the users subgraph's fields, for a signed-up account.
    const account = await signUp(graph.gatewayUrl, `lister-${randomUUID()}@example.com`, 'Lister');
    const lister: Caller = { userId: account.id, headers: { authorization: `Bearer ${account.token}` } };
    const own = await placeOrder(lister);
    const me = dataOf(
      await gql<{ me: { email: string; orders: { edges: { node: { id: string; status: string } }[] } } }>(
        graph,
        '{ me { email orders(first: 10) { edges { node { id status } } } } }',
        {},
        lister,
      ),
    );
    expect(me.me.email).toMatch(/^lister-/);
    expect(me.me.orders.edges).toEqual([{ node: { id: own.id, status: 'PAID' } }]);
  });

  it('keeps the internal payments API to services: a client with a user token cannot refund or capture behind orders', async () => {
    const [alice, bob] = await Promise.all([mintCaller(graph), mintCaller(graph)]);
    const order = await placeOrder(alice);
    const base = graph.subgraphUrls.payments!.replace(/\/graphql$/, '');
    const call = async (operation: string, headers: Record<string, string>) =>
      (
        await fetch(`${base}/internal/payments/${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ orderId: order.id, idempotencyKey: `refund:${order.id}` }),
        })
      ).status;
    const secret = { 'x-internal-secret': DEVELOPMENT_INTERNAL_API_SECRET };
    expect(await call('refund', alice.headers)).toBe(403);
    expect(await call('refund', { ...alice.headers, 'x-internal-secret': 'guessed-secret-guessed' })).toBe(
      403,
    );
    expect(await call('refund', secret)).toBe(401);
    // On someone's behalf means with the gateway's token for them, never a client's own token.
    expect(await call('refund', { ...secret, ...alice.headers })).toBe(401);
    expect(await call('refund', { ...secret, ...(await viaGateway(graph, bob)) })).toBe(403);
    expect(await call('capture', { ...secret, ...(await viaGateway(graph, alice)) })).toBe(403);
    expect(dataOf(await gql(graph, PAYMENT, { id: order.id }, alice))).toEqual({
      order: { payment: { status: 'AUTHORIZED' } },
    });
  });

  it('captures on fulfilment, ships and delivers; refuses illegal transitions and non-admins', async () => {
    const shopper = await mintCaller(graph);
    const order = await placeOrder(shopper);
    // updateOrderStatus is @requiresScopes(admin): the gateway refuses it; the subgraph would too.
    expect(errorCodes(await gql(graph, UPDATE, { id: order.id, s: 'FULFILLING' }, shopper))).toEqual([
      'UNAUTHORIZED_FIELD_OR_TYPE',
    ]);
    expect(errorCodes(await postGraphQL(graph.subgraphUrls.orders!, UPDATE, { id: order.id, s: 'FULFILLING' }, await viaGateway(graph, shopper)))).toEqual([
      'FORBIDDEN',
    ]);
    const illegal = await gql(graph, UPDATE, { id: order.id, s: 'DELIVERED' }, admin);
    expect(errorCodes(illegal)).toEqual(['BAD_USER_INPUT']);
    expect(illegal.errors![0]!.extensions).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
      from: 'PAID',
      to: 'DELIVERED',
    });

    expect(dataOf(await gql(graph, UPDATE, { id: order.id, s: 'FULFILLING' }, admin))).toMatchObject({
      updateOrderStatus: { status: 'FULFILLING' },
    });
    expect(dataOf(await gql(graph, PAYMENT, { id: order.id }, shopper))).toEqual({
      order: { payment: { status: 'CAPTURED' } },
    });
    await gql(graph, UPDATE, { id: order.id, s: 'SHIPPED' }, admin);
    const cancelLate = await gql(graph, CANCEL, { id: order.id }, shopper);
    expect(errorCodes(cancelLate)).toEqual(['BAD_USER_INPUT']);
    expect(cancelLate.errors![0]!.message).toMatch(/SHIPPED cannot become CANCELLED/);
    const delivered = dataOf(
      await gql<{ updateOrderStatus: { events: { status: string }[] } }>(
        graph,
        UPDATE,
        { id: order.id, s: 'DELIVERED' },
        admin,
      ),
    );
    expect(delivered.updateOrderStatus.events.map((event) => event.status)).toEqual([
      'PENDING_PAYMENT',
      'PAID',
      'FULFILLING',
      'SHIPPED',
      'DELIVERED',
    ]);
    const types = (await scanTable(graph, 'orderOutbox'))
      .filter((event) => event.orderId === order.id)
      .map((event) => event.type);
    expect(types.filter((type) => type === 'OrderStatusChanged')).toHaveLength(3);
  });

  it('lets the owner cancel before shipping: stock goes back, the payment is refunded, each step has its event', async () => {
    const [owner, other] = await Promise.all([mintCaller(graph), mintCaller(graph)]);
    const before = await stockOf(graph, productId);
    const order = await placeOrder(owner, 4);
    expect(await stockOf(graph, productId)).toBe(before - 4);

    expect(errorCodes(await gql(graph, CANCEL, { id: order.id }, other))).toEqual(['FORBIDDEN']);
    const cancelled = dataOf(
      await gql<{ cancelOrder: { status: string; events: { status: string }[] } }>(
        graph,
        CANCEL,
        { id: order.id },
        owner,
      ),
    );
    expect(cancelled.cancelOrder.status).toBe('REFUNDED');
    expect(cancelled.cancelOrder.events.map((event) => event.status)).toEqual([
      'PENDING_PAYMENT',
      'PAID',
      'CANCELLED',
      'REFUNDED',
    ]);
    expect(await stockOf(graph, productId)).toBe(before);
    expect(dataOf(await gql(graph, PAYMENT, { id: order.id }, owner))).toEqual({
      order: { payment: { status: 'REFUNDED' } },
    });

    const events = (await scanTable(graph, 'orderOutbox')).filter((event) => event.orderId === order.id);
    expect(events.map((event) => event.type).sort()).toEqual([
      'OrderCancelled',
      'OrderPaid',
      'OrderPlaced',
      'OrderRefunded',
    ]);
    const ledger = (await scanTable(graph, 'paymentLedger')).filter((entry) => entry.orderId === order.id);
    expect(ledger.map((entry) => entry.entry).sort()).toEqual(['AUTHORIZED', 'REFUNDED']);

    // Cancelling again changes nothing: no second refund, no stock given back twice.
    const again = await gql(graph, CANCEL, { id: order.id }, owner);
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(await stockOf(graph, productId)).toBe(before);
  });
});
