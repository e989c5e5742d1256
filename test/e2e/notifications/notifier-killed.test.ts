// The notifications service SIGKILLed mid-batch (issue 19): twelve orders are paid while the
// service sends their confirmations to a real SMTP server (MailDev) through a relay the test can
// hold. Once some emails are in and recorded as sent, the relay holds the next send mid-transfer
// and the service is killed with the rest of the batch unsent. MailDev drops the half-sent message
// (its transfer never ended). The consumer group's committed offset is also rewound to the start of
// the log, as a consumer that died before committing leaves it in Kafka, so after the restart every
// event of the batch comes again. Every order ends with exactly one confirmation in the inbox and one
// SENT record: what was sent is not sent twice, what was not is sent.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  bearer,
  checkout,
  createProduct,
  dataOf,
  eventually,
  makeTempDir,
  mintCaller,
  readInbox,
  scanTable,
  signUp,
  startMailDev,
  startServiceProcess,
  startTestDynamoDb,
  startTestSupergraph,
  type Caller,
  type LocalMailDev,
  type ServiceProcess,
  type TestDynamoDb,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const ORDERS = 12;

/**
 * A TCP relay to `target` that starts holding what clients send once `passMessages` messages have
 * gone through (an SMTP message ends with <CRLF>.<CRLF>): from then on their bytes wait here, so
 * the next transfer cannot finish and the server never accepts its message.
 */
async function startHoldingRelay(target: URL, passMessages: number) {
  let held = false;
  let passed = 0;
  let heldBytes = 0;
  const waiting: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    // The end of the last chunk: a message's end can be split between two chunks (nodemailer
    // writes the final ".\r\n" on its own after a body that ends with a line break).
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      if (held) {
        heldBytes += chunk.length;
        waiting.push(() => upstream.write(chunk));
        return;
      }
      upstream.write(chunk);
      // Four characters cannot hold a whole end marker, so none is counted twice.
      const text = tail + chunk.toString('latin1');
      passed += text.split('\r\n.\r\n').length - 1;
      tail = text.slice(-4);
      if (passed >= passMessages) held = true;
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    /** Bytes clients sent since the relay began holding, which the server has not seen. */
    get heldBytes() {
      return heldBytes;
    },
    /** Drops every connection (and what was held on it): a dead client's sockets. */
    dropAll: () => {
      waiting.length = 0;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    /** Passes everything from now on. */
    release: () => {
      held = false;
      passed = -Infinity;
      for (const write of waiting.splice(0)) write();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('notifications killed mid-batch', () => {
  let dynamo: TestDynamoDb;
  let dataDir: ReturnType<typeof makeTempDir>;
  let mail: LocalMailDev;
  let relay: Awaited<ReturnType<typeof startHoldingRelay>>;
  let notifications: ServiceProcess;
  let graph: TestSupergraph;

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    dataDir = makeTempDir('e2e-notifications');
    mail = await startMailDev();
    // Three confirmations go through; the fourth is held mid-transfer, however fast the notifier is.
    relay = await startHoldingRelay(new URL(mail.smtpUrl), 3);
    // What every service shares: the store, the event log and keys under DATA_DIR.
    const shared = { NODE_ENV: 'test', DATA_DIR: dataDir.dir, DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: dynamo.tablePrefix };
    graph = await startTestSupergraph({
      dynamo: false,
      env: shared,
      only: ['users', 'products', 'payments', 'orders', 'notifications'],
      external: { notifications: 'http://127.0.0.1:1/graphql' },
    });
    notifications = await startServiceProcess('notifications', {
      ...shared,
      LOG_LEVEL: 'error',
      SMTP_URL: relay.url,
      SUBGRAPH_USERS_URL: graph.subgraphUrls.users,
    });
  });
  afterAll(async () => {
    await notifications?.kill();
    await graph?.stop();
    relay?.dropAll();
    await relay?.stop();
    await mail?.stop();
    await dynamo?.stop();
    dataDir?.remove();
  });

  const sentRecords = async () =>
    (await scanTable(graph, 'notifications')).filter((item) => item.status === 'SENT' && item.channel === 'EMAIL');

  it('ends with one confirmation per order after a SIGKILL and a restart', async () => {
    const admin = await mintCaller(graph, 'ADMIN');
    const productId = await createProduct(graph, admin, { stock: 100, price: 1_250, name: 'Enamel mug' });
    const numbers: string[] = [];
    const shoppers: Caller[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const account = await signUp(graph.gatewayUrl, `kill-${i}-${randomUUID().slice(0, 6)}@example.com`, `Shopper ${i}`);
      shoppers.push({ userId: account.id, headers: bearer(account.token) });
    }
    for (const shopper of shoppers) {
      await addToCart(graph, shopper, productId, 1);
      numbers.push(dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' })).checkout.number);
    }
    const confirmations = async () => (await readInbox(mail.apiUrl)).filter((message) => message.subject.endsWith('is confirmed'));

    // Three of the batch are in and recorded as sent, the next send is stuck mid-transfer: the kill
    // lands between two sends, never between an acceptance and its record.
    await eventually(async () => {
      expect(relay.heldBytes).toBeGreaterThan(0);
      expect((await confirmations()).length).toBe(3);
      expect((await sentRecords()).length).toBe(3);
    }, 60_000);
    const beforeKill = (await confirmations()).length;
    expect(beforeKill).toBeLessThan(ORDERS);
    await notifications.kill('SIGKILL');
    relay.dropAll();
    relay.release();
    expect((await confirmations()).length).toBe(beforeKill);
    // The file event bus's layout (subgraphs/runtime/src/events/file-log-bus.ts): a group's
    // committed offset is a byte position in <DATA_DIR>/events/<topic>.groups/<group>.
    writeFileSync(path.join(dataDir.dir, 'events', 'orders.events.groups', 'notifications'), '0');

    await notifications.restart();
    const inbox = await eventually(async () => {
      const messages = await confirmations();
      expect(messages.length).toBeGreaterThanOrEqual(ORDERS);
      return messages;
    }, 120_000);
    // Once more after everything is recorded, so a late duplicate would be seen.
    await eventually(async () => expect((await sentRecords()).length).toBeGreaterThanOrEqual(ORDERS), 60_000);
    const final = await confirmations();
    const perOrder = numbers.map((number) => final.filter((message) => message.subject === `Your order ${number} is confirmed`).length);
    expect(perOrder).toEqual(numbers.map(() => 1));
    expect(final).toHaveLength(inbox.length);
    expect(final).toHaveLength(ORDERS);
  });
});
