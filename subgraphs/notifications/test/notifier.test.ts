// The notifier against DynamoDB Local, with scripted channels (the adapters have their own contract
// tests against servers speaking SMTP, SES and SNS): exactly once per event and channel however
// often an event comes, retries with backoff for retryable failures, the dead letter after the
// last attempt or at once for a permanent refusal, finishing what a stopped process left PENDING,
// and admins' resends (one send for two at once).
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, ensureTables, type EventEnvelope } from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import { startTestDynamoDb, waitFor, type TestDynamoDb } from '@cloudmart/test-kit';
import { openNotificationsData, type NotificationsData } from '../src/data';
import { Notifier, NotifierStoppedError } from '../src/domain/notifier';
import { ChannelError, type EmailMessage, type SmsMessage } from '../src/services/channels/port';
import type { Contact, UsersPort } from '../src/services/users';

const log = createLogger('notifier-test', 'silent');

/** A channel that records what it was given and fails as scripted: each entry is one send's outcome. */
class ScriptedChannel<M> {
  readonly sent: M[] = [];
  attempts = 0;
  script: (ChannelError | 'ok')[] = [];
  /** Resolves a send only when released (to hold one in flight). */
  hold?: Promise<void>;

  async send(message: M) {
    this.attempts++;
    await this.hold;
    const outcome = this.script.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
    this.sent.push(message);
    return { providerMessageId: `provider-${this.attempts}` };
  }
}

const throttled = () => new ChannelError('Maximum sending rate exceeded.', true, 'TooManyRequestsException');
const rejected = () => new ChannelError('Email address is not verified.', false, 'MessageRejected');

describe('notifier', () => {
  let dynamo: TestDynamoDb;
  let data: NotificationsData;
  let email: ScriptedChannel<EmailMessage>;
  let sms: ScriptedChannel<SmsMessage>;
  const contacts = new Map<string, Contact>();
  const users: UsersPort = { contact: async (userId) => contacts.get(userId) ?? null };
  let prefix: string;

  const notifier = (maxAttempts = 3, retryBaseMs = 5) =>
    new Notifier({
      store: data.notifications,
      preferences: data.preferences,
      orders: data.orders,
      users,
      email,
      sms,
      settings: { shop: { name: 'CloudMart', url: 'https://shop.example' }, maxAttempts, retryBaseMs },
      log,
    });

  /** An order of a new user, stored as the orders subgraph stores it; returns its OrderPaid event. */
  async function paidOrder(): Promise<EventEnvelope> {
    const userId = randomUUID();
    const orderId = randomUUID();
    contacts.set(userId, { user: { id: userId, email: `${userId}@example.com`, name: 'Grace' }, address: null });
    await data.client.send(
      new PutCommand({
        TableName: `${prefix}${ordersTables.orders.suffix}`,
        Item: {
          id: orderId,
          number: `N-${orderId.slice(0, 6)}`,
          userId,
          status: 'PAID',
          currency: 'USD',
          lines: [{ productId: 'p-kettle', quantity: 3, unitPrice: 2_500 }],
          subtotal: 7_500,
          tax: 600,
          shipping: 0,
          total: 8_100,
          events: [],
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    return {
      eventId: randomUUID(),
      type: 'OrderPaid',
      version: 1,
      orderId,
      userId,
      occurredAt: new Date().toISOString(),
      payload: { paymentId: 'pay-1', amount: 8_100, currency: 'USD' },
    };
  }
  const stored = (event: EventEnvelope, channel = 'EMAIL') => data.notifications.get(`${event.eventId}:${channel}`);

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    prefix = `${dynamo.tablePrefix}notifier-`;
    data = await openNotificationsData({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix });
    await ensureTables(data.client, prefix, [ordersTables.orders, productsTables.products]);
    await data.client.send(
      new PutCommand({ TableName: `${prefix}${productsTables.products.suffix}`, Item: { id: 'p-kettle', name: 'Copper kettle' } }),
    );
  });
  afterAll(async () => {
    data?.close();
    await dynamo?.stop();
  });
  beforeEach(() => {
    email = new ScriptedChannel();
    sms = new ScriptedChannel();
  });

  it('sends once however often the event is delivered, and records it as SENT', async () => {
    const event = await paidOrder();
    const sender = notifier();
    await sender.handle(event);
    await Promise.all([sender.handle(event), notifier().handle(event)]);
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({ to: `${event.userId}@example.com`, subject: expect.stringContaining('is confirmed') });
    expect(email.sent[0]!.text).toContain('3 × Copper kettle — $75.00');
    expect(email.sent[0]!.text).toContain('Total: $81.00');
    expect(email.sent[0]!.messageId).toBe(`<${event.eventId}.EMAIL@cloudmart>`);
    expect(await stored(event)).toMatchObject({ status: 'SENT', attempts: 1, providerMessageId: 'provider-1' });
    expect(sms.attempts).toBe(0);
  });

  it('ignores events that tell the shopper nothing, and payloads of another version', async () => {
    const event = await paidOrder();
    await notifier().handle({ ...event, type: 'OrderPlaced' });
    await notifier().handle({ ...event, type: 'OrderStatusChanged', payload: { from: 'PAID', to: 'FULFILLING' } });
    await notifier().handle({ ...event, version: 2 });
    expect(email.attempts).toBe(0);
    await notifier().handle({ ...event, eventId: randomUUID(), type: 'OrderStatusChanged', payload: { from: 'FULFILLING', to: 'SHIPPED' } });
    expect(email.sent.map((message) => message.subject)).toEqual([expect.stringMatching(/is on its way$/)]);
  });

  it('retries throttling with backoff, then sends', async () => {
    const event = await paidOrder();
    email.script = [throttled(), throttled()];
    await notifier(3).handle(event);
    expect(email.attempts).toBe(3);
    expect(email.sent).toHaveLength(1);
    expect(await stored(event)).toMatchObject({ status: 'SENT', attempts: 3 });
    expect((await stored(event))?.lastError).toBeUndefined();
  });

  it('dead-letters after the last retryable failure, and at once for a permanent one', async () => {
    const busy = await paidOrder();
    email.script = [throttled(), throttled(), throttled()];
    await notifier(3).handle(busy);
    expect(await stored(busy)).toMatchObject({ status: 'FAILED', attempts: 3, lastError: { code: 'TooManyRequestsException' } });

    const refused = await paidOrder();
    email.script = [rejected()];
    await notifier(3).handle(refused);
    expect(email.attempts).toBe(4);
    expect(await stored(refused)).toMatchObject({ status: 'FAILED', attempts: 1, lastError: { code: 'MessageRejected' } });

    // A redelivered event leaves its dead letter alone (an admin decides).
    await notifier(3).handle(refused);
    expect(email.attempts).toBe(4);
    const failedIds = (await data.notifications.listFailed(50)).items.map((item) => item.id);
    expect(failedIds).toEqual(expect.arrayContaining([`${busy.eventId}:EMAIL`, `${refused.eventId}:EMAIL`]));
  });

  it('a stopped notifier leaves the notification PENDING, and the redelivered event finishes it', async () => {
    const event = await paidOrder();
    email.script = [throttled()];
    // A minute's wait before the retry, which the stop cuts short: the handler rejects, so the bus
    // offers the event again.
    const stopping = notifier(5, 60_000);
    const handled = stopping.handle(event);
    await waitFor('the first failed attempt', async () => (await stored(event))?.attempts === 1);
    stopping.stop();
    await expect(handled).rejects.toBeInstanceOf(NotifierStoppedError);
    expect(await stored(event)).toMatchObject({ status: 'PENDING', attempts: 1 });
    await notifier(5).handle(event);
    expect(email.sent).toHaveLength(1);
    expect(await stored(event)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('texts an opted-in user besides the email, with the message stored at the first delivery', async () => {
    const event = await paidOrder();
    await data.preferences.put({ userId: event.userId, sms: true, phoneNumber: '+14155550123', updatedAt: new Date().toISOString() });
    await notifier().handle(event);
    expect(sms.sent).toEqual([{ to: '+14155550123', body: expect.stringContaining('is confirmed, total $81.00') }]);
    expect(await stored(event, 'SMS')).toMatchObject({ status: 'SENT', channel: 'SMS', recipient: '+14155550123' });
    // Opting out afterwards does not un-send, and a redelivery sends nothing more.
    await data.preferences.put({ userId: event.userId, sms: false, updatedAt: new Date().toISOString() });
    await notifier().handle(event);
    expect(sms.sent).toHaveLength(1);
    expect(email.sent).toHaveLength(1);
  });

  it("an admin's resend sends a dead letter once, even when two resends race", async () => {
    const event = await paidOrder();
    email.script = [rejected()];
    await notifier().handle(event);
    const id = `${event.eventId}:EMAIL`;
    let release!: () => void;
    email.hold = new Promise((resolve) => (release = resolve));
    const [first, second] = [notifier().resend(id), notifier().resend(id)];
    release();
    const results = await Promise.all([first, second]);
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(email.sent).toHaveLength(1);
    expect(await stored(event)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect((await data.notifications.listFailed(50)).items.map((item) => item.id)).not.toContain(id);
    // A resend that fails again puts it back on the list, with the new error.
    const again = await paidOrder();
    email.hold = undefined;
    email.script = [rejected(), throttled()];
    await notifier().handle(again);
    const retried = await notifier().resend(`${again.eventId}:EMAIL`);
    expect(retried).toMatchObject({ status: 'FAILED', attempts: 2, lastError: { code: 'TooManyRequestsException' } });
  });

  it('a user or order that does not exist makes no notification', async () => {
    const event = await paidOrder();
    await notifier().handle({ ...event, eventId: randomUUID(), orderId: 'no-such-order' });
    contacts.delete(event.userId);
    await notifier().handle(event);
    expect(email.attempts).toBe(0);
  });
});
