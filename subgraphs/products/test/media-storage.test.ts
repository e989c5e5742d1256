// The media storage adapter (src/services/media-storage/s3.ts) with the real S3 SDK against the
// local S3 (@20minutes/s3rver), which checks signatures as S3 does: a presigned upload holds only
// for the content type and size it was signed for, and only until it expires.
import { LOCAL_S3_CREDENTIALS, makeTempDir, startLocalS3, type LocalS3 } from '@cloudmart/test-kit';
import { ObjectTooLargeError } from '../src/services/media-storage';
import { S3MediaStorage } from '../src/services/media-storage/s3';

const BUCKET = 'media-test';

describe('S3 media storage', () => {
  const temp = makeTempDir('media-storage');
  let s3: LocalS3;
  let storage: S3MediaStorage;

  beforeAll(async () => {
    s3 = await startLocalS3({ directory: temp.dir, buckets: [BUCKET], corsOrigins: ['http://localhost:3000'] });
    storage = new S3MediaStorage({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      credentials: LOCAL_S3_CREDENTIALS,
      publicBaseUrl: `${s3.endpoint}/${BUCKET}`,
    });
  });
  afterAll(async () => {
    await s3?.stop();
    temp.remove();
  });

  const put = (url: string, contentType: string, body: Buffer) =>
    fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: new Uint8Array(body) });

  it('takes an upload by its presigned URL with the signed type and size, and tells its size and type', async () => {
    const body = Buffer.from('0123456789');
    const upload = await storage.presignUpload({ key: 'uploads/a', contentType: 'image/png', byteSize: body.length, expiresInSeconds: 600 });
    expect(upload.headers).toEqual({ 'content-type': 'image/png' });
    expect((await put(upload.url, 'image/png', body)).status).toBe(200);
    expect(await storage.head('uploads/a')).toEqual({ byteSize: 10, contentType: 'image/png' });
    expect(await storage.read('uploads/a', 10)).toEqual(body);
    await expect(storage.read('uploads/a', 9)).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(await storage.head('uploads/none')).toBeUndefined();
  });

  it('refuses an upload of another content type or another size, and one after its URL expired', async () => {
    const upload = await storage.presignUpload({ key: 'uploads/b', contentType: 'image/jpeg', byteSize: 4, expiresInSeconds: 600 });
    expect((await put(upload.url, 'image/png', Buffer.from('abcd'))).status).toBe(403);
    expect((await put(upload.url, 'text/html', Buffer.from('abcd'))).status).toBe(403);
    expect((await put(upload.url, 'image/jpeg', Buffer.from('abcdefgh'))).status).toBe(403);
    expect((await put(upload.url, 'image/jpeg', Buffer.from('ab'))).status).toBe(403);
    expect(await storage.head('uploads/b')).toBeUndefined();

    const soon = await storage.presignUpload({ key: 'uploads/c', contentType: 'image/jpeg', byteSize: 4, expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await put(soon.url, 'image/jpeg', Buffer.from('abcd'))).status).toBe(403);
    expect(await storage.head('uploads/c')).toBeUndefined();
  });

  it("answers a browser's preflight for an upload from the shop's origin only", async () => {
    const upload = await storage.presignUpload({ key: 'uploads/d', contentType: 'image/png', byteSize: 4, expiresInSeconds: 600 });
    const preflight = (origin: string) =>
      fetch(upload.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PUT');
    expect((await preflight('https://elsewhere.example')).status).toBe(403);
  });

  it('writes served objects under their public URL, and deletes', async () => {
    await storage.write('products/p1/abc-200.webp', Buffer.from('webp bytes'), 'image/webp');
    const url = storage.publicUrl('products/p1/abc-200.webp');
    expect(url).toBe(`${s3.endpoint}/${BUCKET}/products/p1/abc-200.webp`);
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await served.arrayBuffer()).toString()).toBe('webp bytes');
    await storage.delete('products/p1/abc-200.webp');
    expect(await storage.head('products/p1/abc-200.webp')).toBeUndefined();
  });
});
