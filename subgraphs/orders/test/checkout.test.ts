// Cart and checkout through the gateway: the whole path from cart to a paid order read across
// four subgraphs, stock that never oversells, idempotent retries, declines and bad input.
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  asGateway,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  errorCodes,
  gql,
  mintCaller,
  type OrderResult,
  postGraphQL,
  putItem,
  scanTable,
  signUp,
  startTestSupergraph,
  stockOf,
  type TestSupergraph,
} from '@cloudmart/test-kit';

describe('checkout through the gateway', () => {
  let graph: TestSupergraph;
  let admin: Caller;

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    admin = await mintCaller(graph, 'ADMIN');
  });
  afterAll(() => graph?.stop());

  it('ships to the saved address chosen at checkout, readable by its owner and admins only', async () => {
    const productId = await createProduct(graph, admin, { stock: 5, price: 1_500, name: 'Address item' });
    const owner = await signUp(graph.gatewayUrl, `owner-${randomUUID()}@example.com`, 'Owner');
    const shopper: Caller = { userId: owner.id, headers: { authorization: `Bearer ${owner.token}` } };
    const added = dataOf(
      await gql<{ addAddress: { id: string } }>(
        graph,
        `mutation($input: AddressInput!) { addAddress(input: $input) { id } }`,
        { input: { line1: '5 Harbour Rd', city: 'Dublin', postalCode: 'D02', country: 'IE' } },
        shopper,
      ),
    ).addAddress;
    await addToCart(graph, shopper, productId, 1);
    const placed = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa', shippingAddressId: added.id }),
    ).checkout;

    const READ = `query($id: ID!) { order(id: $id) { shippingAddress { id line1 city country } } }`;
    const expected = { order: { shippingAddress: { id: added.id, line1: '5 Harbour Rd', city: 'Dublin', country: 'IE' } } };
    expect(dataOf(await gql(graph, READ, { id: placed.id }, shopper))).toEqual(expected);
    expect(dataOf(await gql(graph, READ, { id: placed.id }, admin))).toEqual(expected);

    // Another shopper asking the users subgraph for that address learns nothing: refused when sent
    // directly with the shopper's own token (only the gateway's tokens are accepted), and FORBIDDEN
    // by the ownership check even when it comes through the gateway's trust.
    const stranger = await signUp(graph.gatewayUrl, `stranger-${randomUUID()}@example.com`, 'Stranger');
    const probe = (headers: Record<string, string>) =>
      postGraphQL(
        graph.subgraphUrls.users!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Address { city } } }`,
        { r: [{ __typename: 'Address', id: added.id }] },
        headers,
      );
    const direct = await probe({ authorization: `Bearer ${stranger.token}` });
    expect(errorCodes(direct)).toEqual(['UNAUTHENTICATED']);
    const viaGateway = await probe(await asGateway(graph.env, { userId: stranger.id, role: 'CUSTOMER' }));
    expect(errorCodes(viaGateway)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify([direct.data, viaGateway.data])).not.toContain('Dublin');
  });

  it('a new shopper fills a cart with 3 products, pays with tok_visa and reads the order across every subgraph in one query', async () => {
    const prices = [1_999, 2_450, 999];
    const ids = await Promise.all(
      prices.map((price, i) => createProduct(graph, admin, { stock: 20, price, name: `Checkout item ${i}` })),
    );
    const { token, id: userId } = await signUp(
      graph.gatewayUrl,
      `shopper-${randomUUID()}@example.com`,
      'New Shopper',
    );
    const shopper: Caller = { userId, headers: { authorization: `Bearer ${token}` } };
    await addToCart(graph, shopper, ids[0]!, 2);
    await addToCart(graph, shopper, ids[1]!, 1);
    const filled = await addToCart(graph, shopper, ids[2]!, 3);
    expect(filled).toEqual({
      addToCart: {
        items: [
          { product: { id: ids[0] }, quantity: 2 },
          { product: { id: ids[1] }, quantity: 1 },
          { product: { id: ids[2] }, quantity: 3 },
        ],
        subtotal: { amount: 2 * 1_999 + 2_450 + 3 * 999, currency: 'USD' },
      },
    });

    const placed = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;
    const subtotal = 2 * 1_999 + 2_450 + 3 * 999; // 9 445: over the free-shipping threshold
    const tax = Math.floor((subtotal * 800 + 5_000) / 10_000); // 8%, half up: 755.6 → 756
    expect(placed).toMatchObject({
      status: 'PAID',
      subtotal: { amount: subtotal, currency: 'USD' },
      tax: { amount: tax },
      shipping: { amount: 0 },
      total: { amount: subtotal + tax, currency: 'USD' },
    });
    expect(placed.events.map((event) => event.status)).toEqual(['PENDING_PAYMENT', 'PAID']);
    expect(placed.number).toMatch(/^CM-[0-9A-F]{10}$/);

    graph.resetSubgraphRequests();
    const read = await gql<{
      order: {
        id: string;
        status: string;
        items: {
          quantity: number;
          product: { name: string; price: { amount: number } };
          lineTotal: { amount: number };
        }[];
        payment: { status: string; amount: { amount: number }; method: { brand: string; last4: string } };
        user: { email: string; name: string };
      };
    }>(
      graph,
      `query($id: ID!) { order(id: $id) {
        id status
        items { quantity lineTotal { amount } product { name price { amount } } }
        payment { status amount { amount } method { brand last4 } }
        user { email name }
      } }`,
      { id: placed.id },
      shopper,
    );
    const { order } = dataOf(read);
    expect(order.items.map((item) => item.product.name)).toEqual([
      'Checkout item 0',
      'Checkout item 1',
      'Checkout item 2',
    ]);
    expect(order.items.map((item) => item.lineTotal.amount)).toEqual([3_998, 2_450, 2_997]);
    expect(order.payment).toEqual({
      status: 'AUTHORIZED',
      amount: { amount: subtotal + tax },
      method: { brand: 'visa', last4: '4242' },
    });
    expect(order.user.email).toMatch(/^shopper-.*@example\.com$/);
    // One fetch per subgraph that owns a part of the answer.
    expect(graph.subgraphRequests).toMatchObject({ orders: 1, products: 1, payments: 1, users: 1 });

    expect(await Promise.all(ids.map((id) => stockOf(graph, id)))).toEqual([18, 19, 17]);
    const cart = dataOf(
      await gql<{ cart: { items: unknown[] } }>(graph, '{ cart { items { quantity } } }', {}, shopper),
    );
    expect(cart.cart.items).toEqual([]);
    const events = (await scanTable(graph, 'orderOutbox')).filter((event) => event.orderId === placed.id);
    expect(events.map((event) => event.type).sort()).toEqual(['OrderPaid', 'OrderPlaced']);
    expect(events[0]).toEqual(
      expect.objectContaining({
        eventId: expect.any(String),
        version: 1,
        userId,
        occurredAt: expect.any(String),
        payload: expect.any(Object),
      }),
    );
  });

  it('sells the last 10 units to exactly 10 of 50 concurrent shoppers; the other 40 get OUT_OF_STOCK and no payment', async () => {
    const productId = await createProduct(graph, admin, { stock: 10, name: 'Last Ten Lamp' });
    const shoppers = await Promise.all(Array.from({ length: 50 }, () => mintCaller(graph)));
    for (const shopper of shoppers) await addToCart(graph, shopper, productId, 1);

    const results = await Promise.all(
      shoppers.map((shopper) =>
        checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_mastercard' }),
      ),
    );
    // Every outcome counted, so a failure names what the others got (a run with four jest workers
    // on two cores had 9 that were neither, unseen).
    const outcomes: Record<string, number> = {};
    for (const result of results) {
      const outcome = result.data?.checkout.status ?? errorCodes(result).join(',');
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ PAID: 10, OUT_OF_STOCK: 40 });
    const paid = results.filter((result) => result.data?.checkout.status === 'PAID');
    const outOfStock = results.filter((result) => errorCodes(result)[0] === 'OUT_OF_STOCK');
    expect(outOfStock[0]!.errors![0]!.message).toContain('Last Ten Lamp');
    expect(outOfStock[0]!.errors![0]!.extensions).toMatchObject({ productId, productName: 'Last Ten Lamp' });
    expect(await stockOf(graph, productId)).toBe(0);

    const orders = (await scanTable(graph, 'orders')).filter((order) =>
      (order.lines as { productId: string }[]).some((line) => line.productId === productId),
    );
    expect(orders).toHaveLength(10);
    const paidOrderIds = new Set(paid.map((result) => result.data!.checkout.id));
    const payments = (await scanTable(graph, 'payments')).filter((payment) =>
      orders.some((order) => order.id === payment.orderId),
    );
    expect(new Set(payments.map((payment) => payment.orderId))).toEqual(paidOrderIds);
    // The losers' carts are untouched: they can still change their minds.
    const loser = shoppers[results.findIndex((result) => errorCodes(result)[0] === 'OUT_OF_STOCK')]!;
    const cart = dataOf(
      await gql<{ cart: { items: unknown[] } }>(graph, '{ cart { items { quantity } } }', {}, loser),
    );
    expect(cart.cart.items).toHaveLength(1);
  });

  it('makes one order and one payment when the same checkout is sent 5 times at once', async () => {
    const productId = await createProduct(graph, admin, { stock: 5 });
    const shopper = await mintCaller(graph);
    await addToCart(graph, shopper, productId, 2);
    const input = { idempotencyKey: `retry-${randomUUID()}`, paymentToken: 'tok_visa' };

    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(graph, shopper, input)));
    const orders = results.map((result) => dataOf(result).checkout);
    expect(new Set(orders.map((order) => order.id)).size).toBe(1);
    expect(orders.every((order) => order.status === 'PAID')).toBe(true);
    const orderId = orders[0]!.id;
    expect(await stockOf(graph, productId)).toBe(3);
    expect(
      (await scanTable(graph, 'orders')).filter((order) => order.userId === shopper.userId),
    ).toHaveLength(1);
    const payments = (await scanTable(graph, 'payments')).filter((payment) => payment.orderId === orderId);
    expect(payments).toHaveLength(1);
    const ledger = (await scanTable(graph, 'paymentLedger')).filter((entry) => entry.orderId === orderId);
    expect(ledger.map((entry) => entry.entry)).toEqual(['AUTHORIZED']);

    // And again later: the same order, still nothing new.
    const again = dataOf(await checkout(graph, shopper, input)).checkout;
    expect(again.id).toBe(orderId);
    expect(await stockOf(graph, productId)).toBe(3);
  });

  it('keeps a key for 24 hours: a record past its window (not yet deleted by TTL) no longer names the order', async () => {
    const productId = await createProduct(graph, admin, { stock: 5 });
    const shopper = await mintCaller(graph);
    const input = { idempotencyKey: `window-${randomUUID()}`, paymentToken: 'tok_visa' };
    await addToCart(graph, shopper, productId, 1);
    const first = dataOf(await checkout(graph, shopper, input)).checkout;
    const [record] = (await scanTable(graph, 'checkoutIdempotency')).filter((item) => item.orderId === first.id);
    const createdAt = Math.floor(Date.parse(first.createdAt) / 1000);
    expect(record!.expiresAt).toBe(createdAt + 24 * 60 * 60);

    // A day later (the record backdated as TTL would find it), the same key is a new checkout.
    await putItem(graph, 'checkoutIdempotency', { ...record!, expiresAt: createdAt - 1 });
    await addToCart(graph, shopper, productId, 1);
    const second = dataOf(await checkout(graph, shopper, input)).checkout;
    expect(second.id).not.toBe(first.id);
    expect(await stockOf(graph, productId)).toBe(3);
    // And that new record holds the key again.
    expect(dataOf(await checkout(graph, shopper, input)).checkout.id).toBe(second.id);
  });

  it('sets PAYMENT_FAILED for tok_chargeDeclined, puts the stock back and the lines back in the cart', async () => {
    const productId = await createProduct(graph, admin, { stock: 7, price: 1_000 });
    const shopper = await mintCaller(graph);
    await addToCart(graph, shopper, productId, 3);

    const failed = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_chargeDeclined' }),
    ).checkout;
    expect(failed.status).toBe('PAYMENT_FAILED');
    expect(failed.events.map((event) => event.status)).toEqual(['PENDING_PAYMENT', 'PAYMENT_FAILED']);
    expect(await stockOf(graph, productId)).toBe(7);
    const read = dataOf(
      await gql<{ order: { payment: { status: string; method: { last4: string } } } }>(
        graph,
        'query($id: ID!) { order(id: $id) { payment { status method { last4 } } } }',
        { id: failed.id },
        shopper,
      ),
    );
    expect(read.order.payment).toEqual({ status: 'DECLINED', method: { last4: '0002' } });
    const events = (await scanTable(graph, 'orderOutbox')).filter((event) => event.orderId === failed.id);
    expect(events.map((event) => event.type).sort()).toEqual(['OrderPlaced', 'PaymentDeclined']);

    // The shopper can try another card at once: the cart holds the lines again.
    const retried = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_insufficientFunds' }),
    ).checkout;
    expect(retried.status).toBe('PAYMENT_FAILED');
    const paid = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;
    expect(paid.status).toBe('PAID');
    expect(paid.total.amount).toBe(3_000 + 240 + 599); // under the free-shipping threshold
    expect(await stockOf(graph, productId)).toBe(4);
  });

  it('answers bad input with a clear error and a code, and changes nothing', async () => {
    const productId = await createProduct(graph, admin, { stock: 3 });
    const shopper = await mintCaller(graph);
    const add = (p: string, q: number) =>
      gql(
        graph,
        'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { items { quantity } } }',
        { p, q },
        shopper,
      );

    for (const quantity of [0, -3, 1_000_000_000]) {
      const response = await add(productId, quantity);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message).toMatch(/quantity/);
    }
    const unknown = await add('no-such-product', 1);
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0]!.message).toContain('no-such-product');

    const empty = await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' });
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0]!.message).toMatch(/cart is empty/);
    expect(empty.errors![0]!.extensions?.reason).toBe('EMPTY_CART');

    await addToCart(graph, shopper, productId, 1);
    const missingKey = await checkout(graph, shopper, { paymentToken: 'tok_visa' });
    expect(errorCodes(missingKey)).toEqual(['BAD_USER_INPUT']);
    expect(missingKey.errors![0]!.message).toMatch(/idempotencyKey/);
    const blankKey = await checkout(graph, shopper, { idempotencyKey: '  ', paymentToken: 'tok_visa' });
    expect(errorCodes(blankKey)).toEqual(['BAD_USER_INPUT']);
    expect(blankKey.errors![0]!.message).toMatch(/idempotencyKey/);

    const guest = await gql(graph, '{ cart { items { quantity } } }', {});
    expect(errorCodes(guest)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']); // cart is @authenticated
    expect(await stockOf(graph, productId)).toBe(3);
  });
});

export type { OrderResult };
