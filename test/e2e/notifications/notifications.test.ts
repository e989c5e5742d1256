// Notifications through the whole supergraph (issue 19): a checkout's confirmation email reaches a
// real SMTP server (MailDev) once, with the order's items, total and shipping address; texts only
// after an opt-in; preferences, history and the dead letters through the gateway, with their
// access rules and coded errors for bad input.
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  bearer,
  checkout,
  clearInbox,
  createProduct,
  dataOf,
  errorCodes,
  eventually,
  gql,
  mailHeader,
  mintCaller,
  readInbox,
  signUp,
  startMailDev,
  startTestSupergraph,
  type Caller,
  type InboxMessage,
  type LocalMailDev,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const PREFERENCES = `mutation($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) { email sms phoneNumber }
}`;
const MY_NOTIFICATIONS = `query($first: Int, $after: String) { me { id notificationPreferences { email sms phoneNumber }
  notifications(first: $first, after: $after) {
    edges { cursor node { id kind channel status recipient subject attempts sentAt lastError { code message } order { id } } }
    pageInfo { hasNextPage endCursor }
  } } }`;

interface NotificationNode {
  id: string;
  kind: string;
  channel: string;
  status: string;
  recipient: string;
  subject: string;
  attempts: number;
  sentAt: string | null;
  order: { id: string };
}
interface MyNotifications {
  me: {
    id: string;
    notificationPreferences: { email: boolean; sms: boolean; phoneNumber: string | null };
    notifications: { edges: { cursor: string; node: NotificationNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

describe('order notifications', () => {
  let mail: LocalMailDev;
  let graph: TestSupergraph;
  let admin: Caller;
  let shopper: Caller & { email: string };
  let productId: string;
  let addressId: string;

  beforeAll(async () => {
    mail = await startMailDev();
    graph = await startTestSupergraph({
      only: ['users', 'products', 'payments', 'orders', 'notifications'],
      env: { SMTP_URL: mail.smtpUrl, NOTIFY_RETRY_BASE_MS: '20', SHOP_URL: 'https://shop.example' },
    });
    admin = await mintCaller(graph, 'ADMIN');
    const email = `notify-${randomUUID().slice(0, 8)}@example.com`;
    const account = await signUp(graph.gatewayUrl, email, 'Ada <Lovelace>');
    shopper = { userId: account.id, headers: bearer(account.token), role: 'CUSTOMER', email };
    productId = await createProduct(graph, admin, { stock: 50, price: 1_999, name: 'Walnut desk lamp & shade' });
    const address = dataOf(
      await gql<{ addAddress: { id: string } }>(
        graph,
        'mutation($input: AddressInput!) { addAddress(input: $input) { id } }',
        { input: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' } },
        shopper,
      ),
    );
    addressId = address.addAddress.id;
  });
  afterAll(async () => {
    await graph?.stop();
    await mail?.stop();
  });

  const order = async (quantity: number, paymentToken = 'tok_visa') => {
    await addToCart(graph, shopper, productId, quantity);
    return dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken, shippingAddressId: addressId }))
      .checkout;
  };
  const mailAbout = async (orderNumber: string) =>
    (await readInbox(mail.apiUrl)).filter((message) => message.subject.includes(orderNumber));
  const myNotifications = async (caller: Caller = shopper) => dataOf(await gql<MyNotifications>(graph, MY_NOTIFICATIONS, { first: 50 }, caller)).me;

  it('emails the order confirmation once, with the items, total and shipping address', async () => {
    const placed = await order(2);
    expect(placed.status).toBe('PAID');
    const [confirmation] = await eventually(async () => {
      const messages = await mailAbout(placed.number);
      expect(messages).toHaveLength(1);
      return messages;
    });
    const message = confirmation as InboxMessage;
    expect(message.subject).toBe(`Your order ${placed.number} is confirmed`);
    expect(message.to.map((to) => to.address)).toEqual([shopper.email]);
    // 2 × $19.99 plus the shop's tax and shipping: the total the order has.
    const total = `$${(placed.total.amount / 100).toFixed(2)}`;
    for (const body of [message.text!, message.html!]) {
      expect(body).toContain(total);
      expect(body).toContain('12 Analytical Row');
      expect(body).toContain('N1 9GU London');
      expect(body).toContain(`https://shop.example/orders/${placed.id}`);
    }
    expect(message.text).toContain('2 × Walnut desk lamp & shade — $39.98');
    // In HTML, what people typed is escaped.
    expect(message.html).toContain('Walnut desk lamp &amp; shade');
    expect(message.html).toContain('Ada &lt;Lovelace&gt;');
    expect(message.html).not.toContain('<Lovelace>');
    expect(mailHeader(message, 'message-id')).toMatch(/@cloudmart>$/);

    const me = await eventually(async () => {
      const current = await myNotifications();
      const sent = current.notifications.edges.filter((edge) => edge.node.order.id === placed.id);
      expect(sent.map((edge) => [edge.node.kind, edge.node.channel, edge.node.status])).toEqual([['ORDER_CONFIRMED', 'EMAIL', 'SENT']]);
      return current;
    });
    expect(me.notificationPreferences).toEqual({ email: true, sms: false, phoneNumber: null });
    // Still one message once the notification is recorded as sent: no SMS without an opt-in either.
    expect(await mailAbout(placed.number)).toHaveLength(1);
    expect((await readInbox(mail.apiUrl)).filter((m) => m.to.some((to) => to.address.endsWith('@sms.localhost')))).toEqual([]);
  });

  it('tells the shopper when a payment fails, pointing at the cart', async () => {
    await addToCart(graph, shopper, productId, 1);
    const response = await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_chargeDeclined', shippingAddressId: addressId });
    expect(dataOf(response).checkout.status).toBe('PAYMENT_FAILED');
    const failed = await eventually(async () => {
      const messages = (await readInbox(mail.apiUrl)).filter((message) => message.subject.startsWith('Payment for order'));
      expect(messages).toHaveLength(1);
      return messages[0]!;
    });
    expect(failed.text).toContain('https://shop.example/cart');
    expect(failed.text).toContain('back in your cart');
  });

  it('refuses bad preferences with coded errors and keeps what was saved', async () => {
    const update = (input: Record<string, unknown>) => gql(graph, PREFERENCES, { input }, shopper);
    for (const phoneNumber of ['12345', '+1 555 0000 000000000', 'call me', '+999 123 456', '+'.padEnd(40, '1')]) {
      const response = await update({ sms: true, phoneNumber });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await update({ sms: true }))).toEqual(['BAD_USER_INPUT']);
    expect((await myNotifications()).notificationPreferences).toEqual({ email: true, sms: false, phoneNumber: null });
    // A guest: the gateway refuses (@authenticated) before the subgraph is asked.
    const guest = await gql(graph, PREFERENCES, { input: { sms: false } });
    expect(errorCodes(guest)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('texts only after the opt-in, to the number as E.164', async () => {
    const saved = dataOf(await gql<{ updateNotificationPreferences: unknown }>(graph, PREFERENCES, { input: { sms: true, phoneNumber: '+44 20 7946 0958' } }, shopper));
    expect(saved.updateNotificationPreferences).toEqual({ email: true, sms: true, phoneNumber: '+442079460958' });
    const placed = await order(1);
    const text = await eventually(async () => {
      const texts = (await readInbox(mail.apiUrl)).filter((m) => m.to.some((to) => to.address === '442079460958@sms.localhost'));
      expect(texts).toHaveLength(1);
      return texts[0]!;
    });
    expect(text.text).toContain(`order ${placed.number} is confirmed`);
    await eventually(async () => {
      const nodes = (await myNotifications()).notifications.edges.map((edge) => edge.node).filter((node) => node.order.id === placed.id);
      expect(nodes.map((node) => [node.channel, node.status, node.recipient]).sort()).toEqual([
        ['EMAIL', 'SENT', shopper.email],
        ['SMS', 'SENT', '+442079460958'],
      ]);
    });
    // Opting out keeps the number but stops the texts.
    const off = dataOf(await gql<{ updateNotificationPreferences: unknown }>(graph, PREFERENCES, { input: { sms: false } }, shopper));
    expect(off.updateNotificationPreferences).toEqual({ email: true, sms: false, phoneNumber: '+442079460958' });
    await clearInbox(mail.apiUrl);
    const quiet = await order(1);
    await eventually(async () => expect(await mailAbout(quiet.number)).toHaveLength(1));
    expect((await readInbox(mail.apiUrl)).filter((m) => m.to.some((to) => to.address.endsWith('@sms.localhost')))).toEqual([]);
  });

  it("pages through the history, and another user's notifications are FORBIDDEN", async () => {
    const firstPage = dataOf(await gql<MyNotifications>(graph, MY_NOTIFICATIONS, { first: 1 }, shopper)).me.notifications;
    expect(firstPage.edges).toHaveLength(1);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = dataOf(await gql<MyNotifications>(graph, MY_NOTIFICATIONS, { first: 1, after: firstPage.pageInfo.endCursor }, shopper)).me
      .notifications;
    expect(secondPage.edges[0]!.node.id).not.toBe(firstPage.edges[0]!.node.id);
    for (const first of [0, 51, -1]) expect(errorCodes(await gql(graph, MY_NOTIFICATIONS, { first }, shopper))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(graph, MY_NOTIFICATIONS, { first: 5, after: 'not-a-cursor' }, shopper))).toEqual(['BAD_USER_INPUT']);

    // Another shopper reaches this one's User entity through a review's author.
    const review = dataOf(
      await gql<{ addReview: { id: string } }>(
        graph,
        'mutation($p: ID!) { addReview(productId: $p, rating: 5, title: "Lovely", body: "A warm light for late work.") { id } }',
        { p: productId },
        shopper,
      ),
    );
    expect(review.addReview.id).toBeTruthy();
    const other = await mintCaller(graph);
    const snooping = await gql<{ product: { reviews: { edges: { node: { author: unknown } }[] } } }>(
      graph,
      `query($p: ID!) { product(id: $p) { reviews(first: 5) { edges { node { author { id
        notifications(first: 5) { edges { node { id subject } } } } } } } } }`,
      { p: productId },
      other,
    );
    expect(errorCodes(snooping)).toContain('FORBIDDEN');
    expect(JSON.stringify(snooping.data)).not.toContain('is confirmed');
    const preferences = await gql(
      graph,
      'query($p: ID!) { product(id: $p) { reviews(first: 5) { edges { node { author { notificationPreferences { phoneNumber } } } } } } }',
      { p: productId },
      other,
    );
    expect(errorCodes(preferences)).toContain('FORBIDDEN');
    expect(JSON.stringify(preferences.data)).not.toContain('+442079460958');
    // An admin may read them.
    const asAdmin = dataOf(
      await gql<{ product: { reviews: { edges: { node: { author: { notifications: { edges: unknown[] } } } }[] } } }>(
        graph,
        'query($p: ID!) { product(id: $p) { reviews(first: 5) { edges { node { author { notifications(first: 5) { edges { node { id } } } } } } } } }',
        { p: productId },
        admin,
      ),
    );
    expect(asAdmin.product.reviews.edges[0]!.node.author.notifications.edges.length).toBeGreaterThan(0);
  });

  it('admin only: failed notifications and resends; unknown ids are NOT_FOUND, sent ones CONFLICT', async () => {
    const failedQuery = '{ failedNotifications(first: 10) { edges { node { id status } } } }';
    expect(errorCodes(await gql(graph, failedQuery, {}, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    dataOf(await gql(graph, failedQuery, {}, admin));
    const resend = 'mutation($id: ID!) { resendNotification(id: $id) { id status } }';
    expect(errorCodes(await gql(graph, resend, { id: 'no-such-event:EMAIL' }, admin))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(graph, resend, { id: 'x'.repeat(5_000) }, admin))).toEqual(['NOT_FOUND']);
    const sent = (await myNotifications()).notifications.edges[0]!.node;
    expect(errorCodes(await gql(graph, resend, { id: sent.id }, admin))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(graph, resend, { id: sent.id }, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });
});
