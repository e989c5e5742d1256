// npm run lambdas: each zip, unpacked into a folder outside the repository and run by plain Node as
// AWS Lambda's runtime runs it (LAMBDA_TASK_ROOT, the handler `index.handler`, only the function's
// own settings in the environment). The product image Lambda, on an S3 ObjectCreated event against
// DynamoDB Local and the local S3: the native image library loads from the zip and the upload gets
// its variants. The insights review sentiment Lambda, on a products table stream event against
// DynamoDB Local: the review gets its sentiment. The insights warehouse sink Lambda ships no DuckDB
// and refuses it. The notifier Lambda, on an MSK event with an order's OrderPaid: its MJML templates
// and the SMTP client run from the bundle, and the confirmation reaches MailDev.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, tableName } from '@cloudmart/runtime';
import { insightsTables } from '@cloudmart/insights/contract';
import { notificationsTables } from '@cloudmart/notifications/contract';
import { ordersTables } from '@cloudmart/orders/contract';
import { productsTables, reviewSortKey } from '@cloudmart/products/contract';
import { openProductsData, type ProductsData } from '@cloudmart/products/data';
import { createMediaStorage } from '@cloudmart/products/media-storage';
import {
  LOCAL_S3_CREDENTIALS,
  localS3Env,
  makeTempDir,
  mskEvent,
  mskRecord,
  readInbox,
  s3ObjectCreated,
  startMailDev,
  startLocalS3,
  startTestDynamoDb,
  type LocalS3,
  type TestDynamoDb,
} from '@cloudmart/test-kit';
import { lambdaFunctions } from '../deploy/lambdas';
import { buildLambda } from '../lambdas';

const run = promisify(execFile);
const BUCKET = 'lambda-test-media';

/** A function's zip unpacked where no repository is above it, as /var/task is; `remove()` deletes it. */
function unpack(zipFile: string) {
  const taskRoot = path.join(os.tmpdir(), `lambda-task-${process.pid}-${Date.now()}-${path.basename(zipFile, '.zip')}`);
  const unpacked = unzipSync(readFileSync(zipFile));
  for (const [name, bytes] of Object.entries(unpacked)) {
    mkdirSync(path.dirname(path.join(taskRoot, name)), { recursive: true });
    writeFileSync(path.join(taskRoot, name), bytes);
  }
  return { taskRoot, files: Object.keys(unpacked), remove: () => rmSync(taskRoot, { recursive: true, force: true }) };
}

/**
 * As the runtime does: require the module, call index.handler with the event, and print its
 * result (or the error it rejects with) as JSON. The invocation ends when the handler's promise
 * settles: the runtime waits for an empty event loop only after a callback-style handler, so the
 * connections a function keeps for its next invocation (the notifier's SMTP one) do not hold it.
 */
async function invoke(taskRoot: string, event: unknown, env: Record<string, string | undefined>): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    [
      '-e',
      `require('./index.js').handler(${JSON.stringify(event)}).then(
        (result) => console.log(JSON.stringify({ result })),
        (error) => console.log(JSON.stringify({ error: String(error.message) })),
      ).then(() => process.exit(0))`,
    ],
    { cwd: taskRoot, env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: taskRoot, NODE_ENV: 'production', LOG_LEVEL: 'silent', ...env } },
  );
  return JSON.parse(stdout.trim()) as unknown;
}

/** The packages a zip ships beside index.js (none: everything pure JavaScript is bundled). */
const shippedPackages = (files: string[]) =>
  new Set(
    files
      .filter((name) => name.startsWith('node_modules/'))
      .map((name) => name.split('/').slice(1, name.startsWith('node_modules/@') ? 3 : 2).join('/')),
  );

describe('npm run lambdas', () => {
  const temp = makeTempDir('lambdas');
  let dynamo: TestDynamoDb;
  let s3: LocalS3;
  let data: ProductsData;
  const prefix = () => `${dynamo.tablePrefix}lambda-`;

  beforeAll(async () => {
    [dynamo, s3] = await Promise.all([startTestDynamoDb(), startLocalS3({ directory: path.join(temp.dir, 's3'), buckets: [BUCKET] })]);
    data = await openProductsData({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix() });
  });
  afterAll(async () => {
    data?.close();
    await Promise.all([dynamo?.stop(), s3?.stop()]);
    temp.remove();
  });

  it('zips the upload Lambda with its native library, and the unpacked zip makes an upload\'s variants', async () => {
    const fn = lambdaFunctions.find((candidate) => candidate.name === 'products-upload-variants')!;
    const { taskRoot, files, remove } = unpack(await buildLambda(fn, path.join(temp.dir, 'dist')));
    try {
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.js.map', 'node_modules/sharp/package.json']));
      expect(files.some((name) => name.startsWith('node_modules/@img/sharp-linux-x64/'))).toBe(true);
      // Nothing else ships as a package: everything pure JavaScript is in index.js.
      expect(shippedPackages(files)).toEqual(
        new Set(['sharp', '@img/colour', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', 'detect-libc', 'semver']),
      );

      // An upload waiting for its file, and the file in the bucket.
      const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
      const uploadId = `lambda-${Date.now()}`;
      await data.uploads.create({
        uploadId,
        productId: 'p-lambda',
        key: `uploads/${uploadId}`,
        contentType: 'image/jpeg',
        byteSize: photo.length,
        createdBy: 'admin',
        createdAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
        expiresAtEpoch: 0,
        status: 'PENDING',
      });
      const settings = localS3Env(s3, BUCKET);
      await createMediaStorage({ ...settings, AWS_REGION: 'us-east-1' }).write(`uploads/${uploadId}`, photo, 'image/jpeg');

      const event = s3ObjectCreated(BUCKET, `uploads/${uploadId}`, photo.length);
      const answer = await invoke(taskRoot, event, {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        DYNAMODB_TABLE_PREFIX: prefix(),
        ...settings,
      });
      expect(answer).toEqual({ result: { [`uploads/${uploadId}`]: 'prepared' } });
      const prepared = (await data.uploads.get(uploadId))!.prepared!;
      expect(prepared.map((variant) => variant.width)).toEqual([200, 600, 900]);
      for (const variant of prepared) expect((await fetch(`${s3.endpoint}/${BUCKET}/${variant.key}`)).status).toBe(200);
    } finally {
      remove();
    }
  });

  it('zips the review sentiment Lambda as one bundle, and the unpacked zip stores a new review\'s sentiment from a stream event', async () => {
    const fn = lambdaFunctions.find((candidate) => candidate.name === 'insights-review-sentiment')!;
    const { taskRoot, files, remove } = unpack(await buildLambda(fn, path.join(temp.dir, 'dist')));
    const sentimentPrefix = `${dynamo.tablePrefix}lambda-sentiment-`;
    const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: sentimentPrefix });
    try {
      expect(files.sort()).toEqual(['index.js', 'index.js.map']);
      // The tables are Terraform's in AWS: the function creates none.
      await ensureTables(client, sentimentPrefix, [productsTables.productReviews, insightsTables.reviewSentiment]);
      await client.send(
        new PutCommand({
          TableName: tableName(sentimentPrefix, productsTables.productReviews),
          Item: {
            productId: 'p-zip',
            sk: reviewSortKey(1),
            seq: 1,
            id: 'r-zip',
            userId: 'u',
            rating: 5,
            title: 'Wonderful',
            body: 'I love it, it works great.',
            createdAt: new Date().toISOString(),
          },
        }),
      );
      const image = (ratingCount: number) => ({ id: { S: 'p-zip' }, ratingCount: { N: String(ratingCount) } });
      // The products table's stream record, as AWS's DynamoDB Streams event carries it.
      const event = {
        Records: [
          {
            eventID: 'c81e728d9d4c2f636f067f89cc14862c',
            eventName: 'MODIFY',
            eventVersion: '1.1',
            eventSource: 'aws:dynamodb',
            awsRegion: 'us-east-1',
            eventSourceARN: 'arn:aws:dynamodb:us-east-1:111122223333:table/cloudmart-products/stream/2026-12-01T00:00:00.000',
            dynamodb: {
              ApproximateCreationDateTime: 1_764_583_200,
              Keys: { id: { S: 'p-zip' } },
              OldImage: image(0),
              NewImage: image(1),
              SequenceNumber: '4421584500000000017450439091',
              SizeBytes: 60,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          },
        ],
      };
      const answer = await invoke(taskRoot, event, {
        AWS_REGION: 'us-east-1',
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        DYNAMODB_TABLE_PREFIX: sentimentPrefix,
        SENTIMENT_ANALYZER: 'local',
      });
      expect(answer).toEqual({ result: { batchItemFailures: [] } });
      const store = tableName(sentimentPrefix, insightsTables.reviewSentiment);
      const { Item } = await client.send(new GetCommand({ TableName: store, Key: { reviewId: 'r-zip' } }));
      expect(Item).toMatchObject({ reviewId: 'r-zip', productId: 'p-zip', status: 'ANALYSED', label: 'POSITIVE', analyzer: 'local' });
    } finally {
      client.destroy();
      remove();
    }
  });

  it('zips the warehouse sink Lambda without DuckDB, and the unpacked zip refuses WAREHOUSE=duckdb', async () => {
    const fn = lambdaFunctions.find((candidate) => candidate.name === 'insights-warehouse-sink')!;
    expect(fn.nativePackages).toEqual([]);
    const { taskRoot, files, remove } = unpack(await buildLambda(fn, path.join(temp.dir, 'dist')));
    try {
      expect(files.sort()).toEqual(['index.js', 'index.js.map']);
      expect(readFileSync(path.join(taskRoot, 'index.js'), 'utf8')).not.toMatch(/@duckdb\/node-api|duckdb\.node/);
      const event = { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:111122223333:cluster/c/1', records: {} };
      const answer = await invoke(taskRoot, event, { AWS_REGION: 'us-east-1', WAREHOUSE: 'duckdb', BIGQUERY_PROJECT: 'cloudmart-analytics' });
      expect(answer).toEqual({ error: expect.stringMatching(/WAREHOUSE: the warehouse sink Lambda loads BigQuery only/) as string });
    } finally {
      remove();
    }
  });

  it('zips the notifier Lambda as one bundle, and the unpacked zip mails an order confirmation from an MSK event', async () => {
    const fn = lambdaFunctions.find((candidate) => candidate.name === 'notifications-order-events')!;
    const { taskRoot, files, remove } = unpack(await buildLambda(fn, path.join(temp.dir, 'dist')));
    const mail = await startMailDev();
    // The users service's internal API, as it answers the notifier.
    const users = http.createServer((request, response) => {
      request.resume().on('end', () => {
        response.writeHead(request.headers['x-internal-secret'] === 'a-lambda-test-internal-secret' ? 200 : 403, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ user: { id: 'u-zip', email: 'zip@example.com', name: 'Zip' }, address: null }));
      });
    });
    await new Promise<void>((resolve) => users.listen(0, '127.0.0.1', resolve));
    const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix() });
    try {
      expect(files.sort()).toEqual(['index.js', 'index.js.map']);
      // The tables are Terraform's in AWS: the function creates none.
      await ensureTables(client, prefix(), [ordersTables.orders, ...Object.values(notificationsTables)]);
      const orderId = randomUUID();
      await client.send(
        new PutCommand({
          TableName: tableName(prefix(), ordersTables.orders),
          Item: { id: orderId, number: 'CM-ZIP', userId: 'u-zip', currency: 'USD', lines: [], subtotal: 0, tax: 0, shipping: 0, total: 1_234, createdAt: new Date().toISOString() },
        }),
      );
      const event = mskEvent([
        mskRecord('orders.events', 0, 1, {
          eventId: randomUUID(),
          type: 'OrderPaid',
          version: 1,
          orderId,
          userId: 'u-zip',
          occurredAt: new Date().toISOString(),
          payload: { paymentId: 'p', amount: 1_234, currency: 'USD' },
        }),
      ]);
      const answer = await invoke(taskRoot, event, {
        AWS_REGION: 'us-east-1',
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        DYNAMODB_TABLE_PREFIX: prefix(),
        SMTP_URL: mail.smtpUrl,
        USERS_URL: `http://127.0.0.1:${(users.address() as AddressInfo).port}`,
        INTERNAL_API_SECRET: 'a-lambda-test-internal-secret',
        SHOP_URL: 'https://shop.example',
      });
      expect(answer).toEqual({ result: { batchItemFailures: [] } });
      const [message] = await readInbox(mail.apiUrl);
      expect(message).toMatchObject({ subject: 'Your order CM-ZIP is confirmed', to: [{ address: 'zip@example.com' }] });
      expect(message!.text).toContain('Total: $12.34');
      expect(message!.html).toContain('https://shop.example/orders/');
    } finally {
      client.destroy();
      await new Promise((resolve) => users.close(resolve));
      await mail.stop();
      remove();
    }
  });
});
