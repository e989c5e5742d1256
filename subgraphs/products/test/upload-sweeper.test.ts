// The upload sweep (src/workers/upload-sweeper.ts) against DynamoDB Local and the local S3: an
// upload whose URL expired and that nobody attached loses its original and is marked EXPIRED
// (attaching it then says so); an attached one, one still valid, and one an attach holds now are
// left alone; a claim left by an attach that died is swept once it is stale.
import { createLogger } from '@cloudmart/runtime';
import {
  LOCAL_S3_CREDENTIALS,
  makeTempDir,
  startLocalS3,
  startTestDynamoDb,
  type LocalS3,
  type TestDynamoDb,
} from '@cloudmart/test-kit';
import { openProductsData, type ProductsData } from '../src/data';
import type { ImageUploadItem } from '../src/data/items';
import { S3MediaStorage } from '../src/services/media-storage/s3';
import { UploadSweeper } from '../src/workers/upload-sweeper';

const BUCKET = 'sweep-test';
const MINUTE = 60_000;

describe('upload sweeper', () => {
  const temp = makeTempDir('upload-sweeper');
  let dynamo: TestDynamoDb;
  let s3: LocalS3;
  let data: ProductsData;
  let storage: S3MediaStorage;
  let sweeper: UploadSweeper;
  const now = new Date('2026-12-05T12:00:00Z');

  beforeAll(async () => {
    [dynamo, s3] = await Promise.all([startTestDynamoDb(), startLocalS3({ directory: temp.dir, buckets: [BUCKET] })]);
    data = await openProductsData({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: `${dynamo.tablePrefix}sweep-`,
    });
    storage = new S3MediaStorage({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      credentials: LOCAL_S3_CREDENTIALS,
      publicBaseUrl: `${s3.endpoint}/${BUCKET}`,
    });
    sweeper = new UploadSweeper(data.uploads, storage, createLogger('upload-sweeper-test', 'silent'), { intervalMs: MINUTE });
  });
  afterAll(async () => {
    await sweeper?.close();
    data?.close();
    await Promise.all([dynamo?.stop(), s3?.stop()]);
    temp.remove();
  });

  /** An upload whose URL expires `expiresInMs` from `now`, with its original stored. */
  async function upload(name: string, expiresInMs: number, status: ImageUploadItem['status'] = 'PENDING'): Promise<ImageUploadItem> {
    const item: ImageUploadItem = {
      uploadId: name,
      productId: 'p1',
      key: `uploads/${name}`,
      contentType: 'image/png',
      byteSize: 4,
      createdBy: 'admin',
      createdAt: new Date(now.getTime() - 20 * MINUTE).toISOString(),
      expiresAt: new Date(now.getTime() + expiresInMs).toISOString(),
      expiresAtEpoch: 0,
      status,
    };
    await data.uploads.create(item);
    await storage.write(item.key, Buffer.from('abcd'), 'image/png');
    return item;
  }

  it('removes the originals of expired uploads nobody attached, and only those', async () => {
    await upload('expired', -MINUTE);
    await upload('valid', 5 * MINUTE);
    await upload('attached', -MINUTE, 'ATTACHED');
    await upload('held', -MINUTE);
    expect(await data.uploads.claim('held', now)).toBe(true); // an attach working on it right now
    await upload('died', -MINUTE);
    expect(await data.uploads.claim('died', new Date(now.getTime() - 10 * MINUTE))).toBe(true); // and died

    expect(await sweeper.sweepOnce(now)).toEqual({ expired: 2 });
    const state = async (name: string) => [(await data.uploads.get(name))?.status, (await storage.head(`uploads/${name}`)) !== undefined];
    expect(await state('expired')).toEqual(['EXPIRED', false]);
    expect(await state('died')).toEqual(['EXPIRED', false]);
    expect(await state('valid')).toEqual(['PENDING', true]);
    expect(await state('attached')).toEqual(['ATTACHED', true]);
    expect(await state('held')).toEqual(['ATTACHING', true]);
    // Nothing is left to do the second time, and a swept upload cannot be claimed.
    expect(await sweeper.sweepOnce(now)).toEqual({ expired: 0 });
    expect(await data.uploads.claim('expired', now)).toBe(false);
  });

  it('leaves an upload an attach claimed after the sweep read it', async () => {
    const raced = await upload('raced', -MINUTE);
    expect(await data.uploads.claim('raced', now)).toBe(true);
    expect(await data.uploads.expire(raced)).toBe(false); // as read before the claim: PENDING
    expect((await data.uploads.get('raced'))?.status).toBe('ATTACHING');
  });
});
