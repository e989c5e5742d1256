// Order notifications (npm run bench -- notifications), issue 19: what one notification costs the
// notifier, and how many one partition's consumer sends a second.
//
// 1. Rendering: one order confirmation (five lines, an address) into MJML's HTML, the text twin and
//    the SMS, by the notifier's own code: wall and CPU time per message, median of the runs.
// 2. The notifier as the in-cluster consumer runs it: OrderPaid events handed to Notifier.handle one
//    after the other, as one partition delivers them (an order's events keep their order), for
//    NOTIFY_BENCH_EVENTS events. Each reads the order and its products' names (DynamoDB Local),
//    asks the users internal API (a small server in this process answering as users does),
//    renders, claims the notification and sends it over SMTP to MailDev, then records it SENT.
//    Per event: wall p50/p99 and this process's CPU; events per second for one partition.
//    DynamoDB Local (Java) and MailDev run in processes of their own: their CPU is not counted,
//    and on AWS the SES call's ~50-100 ms would replace the local SMTP round trip.
//
// Writes bench/results/notifications.{json,md}.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CloseStack, createDocumentClient, createLogger, ensureTables, repoRoot, tableName, type EventEnvelope } from '@cloudmart/runtime';
import { loadNotifierSettings } from '@cloudmart/notifications/config';
import { renderMessage, type MessageFacts } from '@cloudmart/notifications/messages';
import { openNotifier } from '@cloudmart/notifications/notifier';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables } from '@cloudmart/products/contract';
import { makeTempDir, readInbox, startMailDev, startTestDynamoDb } from '@cloudmart/test-kit';
import { percentile } from './percentile';

const RENDER_RUNS = 50;
const EVENTS = Number(process.env.NOTIFY_BENCH_EVENTS ?? 300);
const SECRET = 'a-bench-internal-secret-of-length';

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const lines = Array.from({ length: 5 }, (_, i) => ({ productId: `bench-p${i}`, name: `Bench product ${i}`, quantity: i + 1, unitPrice: 1_999 + i * 500 }));

function facts(): MessageFacts {
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return {
    kind: 'ORDER_CONFIRMED',
    shop: { name: 'CloudMart', url: 'https://shop.example' },
    customerName: 'Bench Shopper',
    order: { id: randomUUID(), number: 'CM-BENCH', currency: 'USD', lines, subtotal, tax: 800, shipping: 0, total: subtotal + 800 },
    address: { line1: '1 Bench Street', line2: null, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  };
}

async function measureRendering() {
  await renderMessage(facts()); // MJML's first run loads its components
  const wall: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RENDER_RUNS; run += 1) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const message = await renderMessage(facts());
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1_000);
    bytes = message.html.length;
  }
  return { runs: RENDER_RUNS, wallMs: round(percentile(sorted(wall), 50), 2), cpuMs: round(percentile(sorted(cpu), 50), 2), htmlBytes: bytes };
}

async function measureNotifier() {
  const temp = makeTempDir('notifications-bench');
  const dynamo = await startTestDynamoDb();
  const mail = await startMailDev();
  const users = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { userId } = JSON.parse(body) as { userId: string };
      response.writeHead(request.headers['x-internal-secret'] === SECRET ? 200 : 403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ user: { id: userId, email: `${userId}@example.com`, name: 'Bench Shopper' }, address: null }));
    });
  });
  await new Promise<void>((resolve) => users.listen(0, '127.0.0.1', resolve));
  const prefix = `${dynamo.tablePrefix}bench-`;
  const resources = new CloseStack();
  const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix });
  try {
    await ensureTables(client, prefix, [ordersTables.orders, productsTables.products]);
    for (const line of lines) {
      await client.send(new PutCommand({ TableName: tableName(prefix, productsTables.products), Item: { id: line.productId, name: line.name } }));
    }
    const settings = loadNotifierSettings({
      NODE_ENV: 'test',
      DATA_DIR: temp.dir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: prefix,
      SMTP_URL: mail.smtpUrl,
      USERS_URL: `http://127.0.0.1:${(users.address() as AddressInfo).port}`,
      INTERNAL_API_SECRET: SECRET,
    });
    const { notifier } = await openNotifier(settings, createLogger('notifications-bench', 'silent'), resources, { createTables: true });
    const events: EventEnvelope[] = [];
    for (let i = 0; i < EVENTS + 10; i += 1) {
      const orderId = randomUUID();
      const userId = randomUUID();
      const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      await client.send(
        new PutCommand({
          TableName: tableName(prefix, ordersTables.orders),
          Item: { id: orderId, number: `CM-${i}`, userId, currency: 'USD', lines, subtotal, tax: 800, shipping: 0, total: subtotal + 800, createdAt: new Date().toISOString() },
        }),
      );
      events.push({ eventId: randomUUID(), type: 'OrderPaid', version: 1, orderId, userId, occurredAt: new Date().toISOString(), payload: { paymentId: 'p', amount: subtotal + 800, currency: 'USD' } });
    }
    for (const event of events.slice(0, 10)) await notifier.handle(event); // warm: connections, JIT
    const wall: number[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const event of events.slice(10)) {
      const at = performance.now();
      await notifier.handle(event);
      wall.push(performance.now() - at);
    }
    const seconds = (performance.now() - started) / 1_000;
    const used = process.cpuUsage(cpuBefore);
    const delivered = (await readInbox(mail.apiUrl)).length;
    if (delivered !== EVENTS + 10) throw new Error(`MailDev holds ${delivered} messages, not ${EVENTS + 10}`);
    const ordered = sorted(wall);
    return {
      events: EVENTS,
      seconds: round(seconds, 2),
      perSecond: round(EVENTS / seconds, 1),
      p50Ms: round(percentile(ordered, 50), 1),
      p99Ms: round(percentile(ordered, 99), 1),
      cpuMsPerEvent: round((used.user + used.system) / 1_000 / EVENTS, 2),
    };
  } finally {
    await resources.close();
    client.destroy();
    await new Promise((resolve) => {
      users.close(resolve);
      users.closeAllConnections();
    });
    await mail.stop();
    await dynamo.stop();
    temp.remove();
  }
}

async function main() {
  const rendering = await measureRendering();
  console.log(`rendering: ${rendering.wallMs} ms wall, ${rendering.cpuMs} ms CPU per confirmation`);
  const notifier = await measureNotifier();
  console.log(`notifier: ${notifier.perSecond} events/s on one partition, p50 ${notifier.p50Ms} ms, p99 ${notifier.p99Ms} ms, ${notifier.cpuMsPerEvent} CPU-ms each`);
  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
  };
  writeFileSync(
    path.join(repoRoot, 'bench', 'results', 'notifications.json'),
    `${JSON.stringify({ benchmark: 'notifications', environment, rendering, notifier }, null, 2)}\n`,
  );
  const report = [
    '# notifications',
    '',
    "Order notifications (`npm run bench -- notifications`, issue 19). **Rendering**: one order confirmation (five lines, an address) into MJML's HTML, the text twin and the SMS by the notifier's own code, median of the runs. **The notifier**: OrderPaid events handed to `Notifier.handle` one after another, as one partition delivers them; each reads the order and product names from DynamoDB Local, asks the users internal API (a small server in this process), renders, claims the notification, sends it over SMTP to MailDev and records it SENT. CPU is this process's (the notifier's); DynamoDB Local and MailDev run in their own processes. On AWS the SES call (~50–100 ms) replaces the local SMTP round trip, so a partition's rate there is lower than here.",
    `${environment.cpus}, Node ${environment.node}, ${environment.date}, load average ${environment.loadAverage.join(' ')} at the end.`,
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| confirmation render, wall (ms) | ${rendering.wallMs} |`,
    `| confirmation render, CPU (ms) | ${rendering.cpuMs} |`,
    `| confirmation HTML (bytes) | ${rendering.htmlBytes} |`,
    `| events handled (one partition) | ${notifier.events} |`,
    `| events per second, one partition | ${notifier.perSecond} |`,
    `| per event p50 / p99 (ms) | ${notifier.p50Ms} / ${notifier.p99Ms} |`,
    `| notifier CPU per event (ms) | ${notifier.cpuMsPerEvent} |`,
    '',
  ];
  writeFileSync(path.join(repoRoot, 'bench', 'results', 'notifications.md'), report.join('\n'));
  console.log(report.join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
