// The notifier as an MSK Lambda (src/lambda/order-events.ts, as Lambda runs its `handler`), on
// events in AWS's documented shape: records by "<topic>-<partition>", values in base64. Emails go
// to a real SMTP server (MailDev); stores are DynamoDB Local; the users service's internal API is
// a small server answering as it does. A poisoned record is reported alone in batchItemFailures
// while its neighbours are handled, and a redelivered batch sends nothing twice.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, orderEventsTopic, tableName, type EventEnvelope } from '@cloudmart/runtime';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import {
  makeTempDir,
  mskEvent,
  mskRecord,
  readInbox,
  startMailDev,
  startTestDynamoDb,
  type LocalMailDev,
  type TestDynamoDb,
} from '@cloudmart/test-kit';
import { notificationsTables } from '../src/contract';
// Built on its first invocation, from the environment the tests set before it.
import { handler } from '../src/lambda/order-events';

const TOPIC = orderEventsTopic.name;
const SECRET = 'a-test-internal-secret-for-users';

describe('notifier Lambda on MSK', () => {
  let dynamo: TestDynamoDb;
  let mail: LocalMailDev;
  let users: http.Server;
  let prefix: string;
  const data = makeTempDir('notifier-lambda');
  const saved = { ...process.env };
  /** What the users API was asked, and with which service header. */
  const asked: { userId: string; service: string | undefined }[] = [];

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    prefix = `${dynamo.tablePrefix}lambda-`;
    mail = await startMailDev();
    // The users service's internal API as it answers (subgraphs/users/src/http/internal-api.ts).
    users = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url !== '/internal/users/contact' || request.headers['x-internal-secret'] !== SECRET) {
          response.writeHead(403).end();
          return;
        }
        const { userId } = JSON.parse(body) as { userId: string };
        asked.push({ userId, service: request.headers['x-internal-service'] as string | undefined });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ user: { id: userId, email: `${userId}@example.com`, name: 'Lin' }, address: null }));
      });
    });
    await new Promise<void>((resolve) => users.listen(0, '127.0.0.1', resolve));
    const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix });
    await ensureTables(client, prefix, [ordersTables.orders, productsTables.products, ...Object.values(notificationsTables)]);
    await client.send(new PutCommand({ TableName: tableName(prefix, productsTables.products), Item: { id: 'p-tea', name: 'Sencha tea' } }));
    client.destroy();
    // Only the notifier's settings, as the function's environment holds them (infra/aws/modules/event-lambdas).
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: data.dir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: prefix,
      SMTP_URL: mail.smtpUrl,
      USERS_URL: `http://127.0.0.1:${(users.address() as AddressInfo).port}`,
      INTERNAL_API_SECRET: SECRET,
      SHOP_URL: 'https://shop.example',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => {
      users?.close(resolve);
      users?.closeAllConnections();
    });
    await mail?.stop();
    await dynamo?.stop();
    data.remove();
  });

  async function paidOrder(): Promise<EventEnvelope> {
    const orderId = randomUUID();
    const userId = randomUUID();
    const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix });
    await client.send(
      new PutCommand({
        TableName: tableName(prefix, ordersTables.orders),
        Item: {
          id: orderId,
          number: `CM-${orderId.slice(0, 8).toUpperCase()}`,
          userId,
          currency: 'USD',
          lines: [{ productId: 'p-tea', quantity: 4, unitPrice: 899 }],
          subtotal: 3_596,
          tax: 288,
          shipping: 599,
          total: 4_483,
          createdAt: new Date().toISOString(),
        },
      }),
    );
    client.destroy();
    return {
      eventId: randomUUID(),
      type: 'OrderPaid',
      version: 1,
      orderId,
      userId,
      occurredAt: new Date().toISOString(),
      payload: { paymentId: 'pay', amount: 4_483, currency: 'USD' },
    };
  }

  it('handles each partition in order, reports the poisoned record alone, and sends nothing twice on redelivery', async () => {
    const first = await paidOrder();
    const second = await paidOrder();
    const shipped: EventEnvelope = { ...first, eventId: randomUUID(), type: 'OrderStatusChanged', payload: { from: 'FULFILLING', to: 'SHIPPED' } };
    const event = mskEvent([
      mskRecord(TOPIC, 0, 5, first),
      mskRecord(TOPIC, 0, 6, '{"not": "an order event"'),
      mskRecord(TOPIC, 0, 7, second),
      mskRecord(TOPIC, 1, 3, shipped),
    ]);
    const poisoned = { batchItemFailures: [{ itemIdentifier: { partition: `${TOPIC}-0`, offset: 6 } }] };
    expect(await handler(event)).toEqual(poisoned);
    const subjects = async () => (await readInbox(mail.apiUrl)).map((message) => message.subject).sort();
    const expected = [
      `Order CM-${first.orderId.slice(0, 8).toUpperCase()} is on its way`,
      `Your order CM-${first.orderId.slice(0, 8).toUpperCase()} is confirmed`,
      `Your order CM-${second.orderId.slice(0, 8).toUpperCase()} is confirmed`,
    ].sort();
    expect(await subjects()).toEqual(expected);
    const confirmation = (await readInbox(mail.apiUrl)).find((message) => message.subject.includes(second.orderId.slice(0, 8).toUpperCase()))!;
    expect(confirmation.text).toContain('4 × Sencha tea — $35.96');
    expect(confirmation.text).toContain('Total: $44.83');
    expect(asked.every((call) => call.service === 'notifications')).toBe(true);

    // Lambda delivers partition 0 again from the poisoned record's offset (and a retry may bring
    // the whole batch): the handled events change nothing.
    expect(await handler(event)).toEqual(poisoned);
    expect(await subjects()).toEqual(expected);
  });

  it('reports a record whose handling fails (the users service down) so its partition resumes there', async () => {
    const before = (await readInbox(mail.apiUrl)).length;
    const order = await paidOrder();
    const later = await paidOrder();
    const down = process.env.USERS_URL!;
    // The handler was built on the first invocation: stop the server it calls instead.
    await new Promise((resolve) => {
      users.close(resolve);
      users.closeAllConnections();
    });
    const event = mskEvent([mskRecord(TOPIC, 2, 40, order), mskRecord(TOPIC, 2, 41, later)]);
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: `${TOPIC}-2`, offset: 40 } }] });
    expect((await readInbox(mail.apiUrl)).length).toBe(before);
    // Back up: the redelivered partition completes, in order.
    await new Promise<void>((resolve) => users.listen(Number(new URL(down).port), '127.0.0.1', resolve));
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const inbox = await readInbox(mail.apiUrl);
    expect(inbox.length).toBe(before + 2);
    expect(inbox.slice(-2).map((message) => message.subject)).toEqual([
      `Your order CM-${order.orderId.slice(0, 8).toUpperCase()} is confirmed`,
      `Your order CM-${later.orderId.slice(0, 8).toUpperCase()} is confirmed`,
    ]);
  });
});
