// npm run lambdas: the product image Lambda's zip, unpacked into a folder outside the repository and
// run by plain Node as AWS Lambda's runtime runs it (LAMBDA_TASK_ROOT, the handler `index.handler`,
// only the function's own settings in the environment), on an S3 ObjectCreated event against
// DynamoDB Local and the local S3: the native image library loads from the zip and the upload gets
// its variants.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { openProductsData, type ProductsData } from '@cloudmart/products/data';
import { createMediaStorage } from '@cloudmart/products/media-storage';
import {
  LOCAL_S3_CREDENTIALS,
  localS3Env,
  makeTempDir,
  s3ObjectCreated,
  startLocalS3,
  startTestDynamoDb,
  type LocalS3,
  type TestDynamoDb,
} from '@cloudmart/test-kit';
import { lambdaFunctions } from '../deploy/lambdas';
import { buildLambda } from '../lambdas';

const run = promisify(execFile);
const BUCKET = 'lambda-test-media';

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
    const zipFile = await buildLambda(fn, path.join(temp.dir, 'dist'));
    // Unpacked where no repository is above it, as /var/task is.
    const taskRoot = path.join(os.tmpdir(), `lambda-task-${process.pid}-${Date.now()}`);
    const unpacked = unzipSync(readFileSync(zipFile));
    for (const [name, bytes] of Object.entries(unpacked)) {
      mkdirSync(path.dirname(path.join(taskRoot, name)), { recursive: true });
      writeFileSync(path.join(taskRoot, name), bytes);
    }
    try {
      const files = Object.keys(unpacked);
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.js.map', 'node_modules/sharp/package.json']));
      expect(files.some((name) => name.startsWith('node_modules/@img/sharp-linux-x64/'))).toBe(true);
      // Nothing else ships as a package: everything pure JavaScript is in index.js.
      const packageOf = (name: string) => name.split('/').slice(1, name.startsWith('node_modules/@') ? 3 : 2).join('/');
      expect(new Set(files.filter((name) => name.startsWith('node_modules/')).map(packageOf))).toEqual(
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
      // As the runtime does: require the module, call index.handler with the event, read its result.
      const { stdout } = await run(
        process.execPath,
        ['-e', `require('./index.js').handler(${JSON.stringify(event)}).then((result) => console.log(JSON.stringify(result)))`],
        {
          cwd: taskRoot,
          env: {
            PATH: process.env.PATH,
            LAMBDA_TASK_ROOT: taskRoot,
            NODE_ENV: 'production',
            LOG_LEVEL: 'silent',
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
            DYNAMODB_ENDPOINT: dynamo.endpoint,
            DYNAMODB_TABLE_PREFIX: prefix(),
            ...settings,
          },
        },
      );
      expect(JSON.parse(stdout.trim())).toEqual({ [`uploads/${uploadId}`]: 'prepared' });
      const prepared = (await data.uploads.get(uploadId))!.prepared!;
      expect(prepared.map((variant) => variant.width)).toEqual([200, 600, 900]);
      for (const variant of prepared) expect((await fetch(`${s3.endpoint}/${BUCKET}/${variant.key}`)).status).toBe(200);
    } finally {
      rmSync(taskRoot, { recursive: true, force: true });
    }
  });
});
