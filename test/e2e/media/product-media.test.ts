// Product images through the gateway (issue 20): an admin asks for an upload URL, the browser PUTs
// the file to the local S3 (which checks the presigned signature as S3 does), and attaching it makes
// WebP variants that the product then lists. Every bad input gets a coded error, and nothing is
// stored or attached for it.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { createDocumentClient, createLogger, dynamoConfigSchema } from '@cloudmart/runtime';
import { openProductsData, productTablesFor, type ProductsData } from '@cloudmart/products/data';
import { loadProductsConfig } from '@cloudmart/products/config';
import { createMediaStorage } from '@cloudmart/products/media-storage';
import { handler, uploadVariantsHandler, type S3Event } from '@cloudmart/products/lambda/upload-variants';
import {
  createProduct,
  errorCodes,
  localS3Env,
  makeTempDir,
  mintCaller,
  pngClaiming,
  postGraphQL,
  s3ObjectCreated,
  startLocalS3,
  startTestSupergraph,
  type Caller,
  type LocalS3,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const BUCKET = 'cloudmart-media-test';

const CREATE_UPLOAD = `mutation($productId: ID!, $contentType: String!, $byteSize: Int!) {
  createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {
    uploadId uploadUrl headers { name value } expiresAt
  }
}`;
const ATTACH = `mutation($uploadId: ID!, $alt: String!) {
  attachProductImage(uploadId: $uploadId, alt: $alt) { id images { id url alt variants { width height url } } }
}`;
const IMAGES = 'query($id: ID!) { product(id: $id) { images { id url alt variants { width url } } } }';

interface Upload {
  uploadId: string;
  uploadUrl: string;
  headers: { name: string; value: string }[];
  expiresAt: string;
}
interface Image {
  id: string;
  url: string;
  alt: string;
  variants: { width: number; height?: number; url: string }[];
}

const jpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer();

describe('product media', () => {
  const temp = makeTempDir('product-media');
  let s3: LocalS3;
  let graph: TestSupergraph;
  let admin: Caller;
  let productId: string;

  beforeAll(async () => {
    s3 = await startLocalS3({ directory: temp.dir, buckets: [BUCKET] });
    graph = await startTestSupergraph({
      only: ['products'],
      env: localS3Env(s3, BUCKET),
    });
    admin = await mintCaller(graph, 'ADMIN');
    productId = await createProduct(graph, admin, { stock: 5 });
  });
  afterAll(async () => {
    await graph?.stop();
    await s3?.stop();
    temp.remove();
  });

  /** As `caller` (the admin unless said), or as a guest with null. */
  const gql = <T>(query: string, variables: Record<string, unknown>, caller: Caller | null = admin) =>
    postGraphQL<T>(graph.gatewayUrl, query, variables, caller?.headers ?? {});

  async function createUpload(contentType: string, byteSize: number, product = productId): Promise<Upload> {
    const response = await gql<{ createProductImageUpload: Upload }>(CREATE_UPLOAD, { productId: product, contentType, byteSize });
    expect(response.errors).toBeUndefined();
    return response.data!.createProductImageUpload;
  }

  const put = (upload: Upload, body: Buffer, headers = Object.fromEntries(upload.headers.map((h) => [h.name, h.value]))) =>
    fetch(upload.uploadUrl, { method: 'PUT', headers, body: new Uint8Array(body) });

  const attach = (uploadId: string, alt = 'The product, from the front') =>
    gql<{ attachProductImage: { images: Image[] } }>(ATTACH, { uploadId, alt });

  const imagesOf = async (id = productId) =>
    (await gql<{ product: { images: Image[] } }>(IMAGES, { id })).data!.product.images;

  /** The error's code and extensions.reason, for compact assertions. */
  const refusal = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    response.errors?.map((error) => [error.extensions?.code, error.extensions?.reason]);

  const stored = async (path: string) => (await fetch(`${s3.endpoint}/${BUCKET}/${path}`)).status;

  it('uploads a JPEG with a presigned URL and attaches it as WebP variants the product lists, last', async () => {
    const before = await imagesOf();
    const file = await jpeg(1600, 1200);
    const upload = await createUpload('image/jpeg', file.length);
    expect(upload.headers).toEqual([{ name: 'content-type', value: 'image/jpeg' }]);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await put(upload, file)).status).toBe(200);

    const attached = await attach(upload.uploadId);
    expect(attached.errors).toBeUndefined();
    const images = attached.data!.attachProductImage.images;
    expect(images).toHaveLength(before.length + 1);
    const image = images.at(-1)!;
    expect(image).toMatchObject({ id: upload.uploadId, alt: 'The product, from the front' });
    expect(image.variants.map((variant) => [variant.width, variant.height])).toEqual([
      [200, 150],
      [600, 450],
      [1200, 900],
    ]);
    expect(image.url).toBe(image.variants.at(-1)!.url);
    for (const variant of image.variants) {
      expect(variant.url.startsWith(`${s3.endpoint}/${BUCKET}/products/${productId}/`)).toBe(true);
      const served = await fetch(variant.url);
      expect(served.headers.get('content-type')).toBe('image/webp');
      expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(variant.width);
    }
    expect(await stored(`uploads/${upload.uploadId}`)).toBe(404); // the original is not kept
    expect(await imagesOf()).toEqual(images.map(({ id, url, alt, variants }) => ({ id, url, alt, variants: variants.map(({ width, url: u }) => ({ width, url: u })) })));

    // Used once: a second attach of the same upload is refused.
    expect(refusal(await attach(upload.uploadId))).toEqual([['CONFLICT', 'UPLOAD_ALREADY_USED']]);
  });

  it('refuses a content type outside JPEG, PNG and WebP, and a size over 5 MB or under a byte', async () => {
    for (const contentType of ['image/gif', 'image/svg+xml', 'text/html', 'IMAGE/JPEG']) {
      const response = await gql(CREATE_UPLOAD, { productId, contentType, byteSize: 1_000 });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    for (const byteSize of [5 * 1024 * 1024 + 1, 0, -1]) {
      expect(errorCodes(await gql(CREATE_UPLOAD, { productId, contentType: 'image/png', byteSize }))).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('has the storage refuse another content type or a larger file than declared, and attaches nothing', async () => {
    const file = await jpeg(300, 300);
    const upload = await createUpload('image/jpeg', file.length);
    expect((await put(upload, file, { 'content-type': 'image/png' })).status).toBe(403);
    expect((await put(upload, Buffer.concat([file, Buffer.alloc(10)]))).status).toBe(403);
    expect(await stored(`uploads/${upload.uploadId}`)).toBe(404);
    const before = await imagesOf();
    expect(refusal(await attach(upload.uploadId))).toEqual([['BAD_USER_INPUT', 'UPLOAD_MISSING']]);
    // Nothing arrived, so the upload is still usable: the right file can follow.
    expect((await put(upload, file)).status).toBe(200);
    expect((await attach(upload.uploadId)).errors).toBeUndefined();
    expect(await imagesOf()).toHaveLength(before.length + 1);
  });

  it.each([
    ['a PNG declared as a JPEG', 'image/jpeg', () => sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } }).png().toBuffer(), 'TYPE_MISMATCH'],
    ['an HTML page declared as a JPEG', 'image/jpeg', async () => Buffer.from('<!doctype html><script>alert(1)</script>'), 'NOT_AN_IMAGE'],
    ['an SVG declared as a PNG', 'image/png', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'NOT_AN_IMAGE'],
    ['a 20000×20000 PNG (a decompression bomb)', 'image/png', async () => pngClaiming(20_000, 20_000), 'TOO_MANY_PIXELS'],
  ])('refuses %s, keeping neither the file nor an image', async (_, contentType, make, reason) => {
    const file = await make();
    const upload = await createUpload(contentType, file.length);
    expect((await put(upload, file)).status).toBe(200);
    const before = await imagesOf();
    expect(refusal(await attach(upload.uploadId))).toEqual([['BAD_USER_INPUT', reason]]);
    expect(await imagesOf()).toEqual(before);
    expect(await stored(`uploads/${upload.uploadId}`)).toBe(404);
    expect(refusal(await attach(upload.uploadId))).toEqual([['CONFLICT', 'UPLOAD_ALREADY_USED']]);
  });

  it('refuses an upload after it expired, and unknown uploads and products', async () => {
    const file = await jpeg(100, 100);
    const upload = await createUpload('image/jpeg', file.length);
    expect((await put(upload, file)).status).toBe(200);
    // Ten minutes on: the record's expiry moved into the past, as time would.
    const config = dynamoConfigSchema.parse(graph.env);
    const client = createDocumentClient(config);
    await client.send(
      new UpdateCommand({
        TableName: productTablesFor(config.DYNAMODB_TABLE_PREFIX).uploads,
        Key: { uploadId: upload.uploadId },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
      }),
    );
    client.destroy();
    expect(refusal(await attach(upload.uploadId))).toEqual([['BAD_USER_INPUT', 'UPLOAD_EXPIRED']]);

    expect(errorCodes(await attach('no-such-upload'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(CREATE_UPLOAD, { productId: 'no-such-product', contentType: 'image/jpeg', byteSize: 10 }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await attach(upload.uploadId, '   '))).toEqual(['BAD_USER_INPUT']);
  });

  it('is for admins: the gateway refuses a shopper and a guest before the products subgraph is asked', async () => {
    const shopper = await mintCaller(graph, 'CUSTOMER');
    const variables = { productId, contentType: 'image/jpeg', byteSize: 100 };
    const asked = graph.subgraphRequests.products;
    // The gateway's authorization (@requiresScopes) answers as Apollo Router does, for both.
    expect(errorCodes(await gql(CREATE_UPLOAD, variables, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(errorCodes(await gql(CREATE_UPLOAD, variables, null))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(errorCodes(await gql(ATTACH, { uploadId: 'x', alt: 'y' }, shopper))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(graph.subgraphRequests.products).toBe(asked);
  });

  it('attaches an upload once when two attaches race, and reorders and removes images', async () => {
    const product = await createProduct(graph, admin, { stock: 1 });
    const generated = await imagesOf(product);
    const file = await jpeg(400, 300);
    const upload = await createUpload('image/jpeg', file.length, product);
    expect((await put(upload, file)).status).toBe(200);
    const results = await Promise.all([attach(upload.uploadId), attach(upload.uploadId)]);
    expect(results.map((result) => (result.errors ? refusal(result)![0]![1] : 'attached')).sort()).toEqual([
      'UPLOAD_ALREADY_USED',
      'attached',
    ]);
    const images = await imagesOf(product);
    expect(images.map((image) => image.id)).toEqual([...generated.map((image) => image.id), upload.uploadId]);

    const REORDER = 'mutation($p: ID!, $ids: [ID!]!) { reorderProductImages(productId: $p, imageIds: $ids) { images { id } } }';
    const reversed = images.map((image) => image.id).reverse();
    const reordered = await gql<{ reorderProductImages: { images: { id: string }[] } }>(REORDER, { p: product, ids: reversed });
    expect(reordered.data!.reorderProductImages.images.map((image) => image.id)).toEqual(reversed);
    expect(errorCodes(await gql(REORDER, { p: product, ids: reversed.slice(1) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(REORDER, { p: product, ids: [reversed[0], ...reversed.slice(0, -1)] }))).toEqual(['BAD_USER_INPUT']);

    const REMOVE = 'mutation($p: ID!, $id: ID!) { removeProductImage(productId: $p, imageId: $id) { images { id } } }';
    const removed = await gql<{ removeProductImage: { images: { id: string }[] } }>(REMOVE, { p: product, id: upload.uploadId });
    expect(removed.data!.removeProductImage.images.map((image) => image.id)).toEqual(reversed.filter((id) => id !== upload.uploadId));
    expect(errorCodes(await gql(REMOVE, { p: product, id: upload.uploadId }))).toEqual(['NOT_FOUND']);
  });

  describe('the variant-making step as a Lambda on the bucket\'s ObjectCreated events', () => {
    let data: ProductsData;
    let lambda: ReturnType<typeof uploadVariantsHandler>;
    beforeAll(async () => {
      // The products service's own settings, as the Lambda reads them from its environment.
      const config = loadProductsConfig({ ...graph.env, NODE_ENV: 'test' });
      data = await openProductsData(config);
      lambda = uploadVariantsHandler({ uploads: data.uploads, storage: createMediaStorage(config), log: createLogger('lambda-test', 'silent') });
    });
    afterAll(() => data?.close());
    const objectCreated = (key: string, size: number): S3Event => s3ObjectCreated(BUCKET, key, size);

    it('makes the variants when the file lands, so the attach only appends them', async () => {
      const file = await jpeg(800, 600);
      const upload = await createUpload('image/jpeg', file.length);
      expect((await put(upload, file)).status).toBe(200);
      expect(await lambda(objectCreated(`uploads/${upload.uploadId}`, file.length))).toEqual({ [`uploads/${upload.uploadId}`]: 'prepared' });
      const prepared = (await data.uploads.get(upload.uploadId))!.prepared!;
      expect(prepared.map((variant) => variant.width)).toEqual([200, 600, 800]);
      // A second delivery of the event (S3 delivers at least once) changes nothing.
      expect(await lambda(objectCreated(`uploads/${upload.uploadId}`, file.length))).toEqual({ [`uploads/${upload.uploadId}`]: 'skipped' });

      // The original gone, the attach could not make variants itself: it uses the Lambda's.
      await createMediaStorage(loadProductsConfig({ ...graph.env, NODE_ENV: 'test' })).delete(`uploads/${upload.uploadId}`);
      const attached = await attach(upload.uploadId);
      expect(attached.errors).toBeUndefined();
      const image = attached.data!.attachProductImage.images.at(-1)!;
      expect(image.variants.map((variant) => variant.width)).toEqual([200, 600, 800]);
      expect((await fetch(image.url)).status).toBe(200);
    });

    it("runs from the Lambda's environment alone: the media and DynamoDB settings, in production, no other secret", async () => {
      const file = await jpeg(300, 200);
      const upload = await createUpload('image/jpeg', file.length);
      expect((await put(upload, file)).status).toBe(200);
      const names = ['NODE_ENV', 'AWS_REGION', 'DYNAMODB_ENDPOINT', 'DYNAMODB_TABLE_PREFIX', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'MEDIA_BUCKET', 'LOG_LEVEL'] as const;
      const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
      Object.assign(process.env, Object.fromEntries(names.map((name) => [name, graph.env[name]])), { NODE_ENV: 'production', LOG_LEVEL: 'silent' });
      try {
        expect(await handler(objectCreated(`uploads/${upload.uploadId}`, file.length))).toEqual({ [`uploads/${upload.uploadId}`]: 'prepared' });
      } finally {
        for (const name of names) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
      }
      expect((await data.uploads.get(upload.uploadId))!.prepared!.map((variant) => variant.width)).toEqual([200, 300]);
    });

    it("records a refused file's reason, which the attach then gives, and skips what is not an upload", async () => {
      const html = Buffer.from('<!doctype html><p>not a photo</p>');
      const upload = await createUpload('image/jpeg', html.length);
      expect((await put(upload, html)).status).toBe(200);
      expect(await lambda(objectCreated(`uploads/${upload.uploadId}`, html.length))).toEqual({ [`uploads/${upload.uploadId}`]: 'rejected' });
      expect(refusal(await attach(upload.uploadId))).toEqual([['BAD_USER_INPUT', 'NOT_AN_IMAGE']]);

      const other = await lambda({
        Records: [
          { ...objectCreated('products/p/abc-200.webp', 10).Records[0]! },
          { ...objectCreated('uploads/no such upload', 10).Records[0]! },
          { ...objectCreated(`uploads/${upload.uploadId}`, 10).Records[0]!, eventName: 'ObjectRemoved:Delete' },
        ],
      });
      expect(other).toEqual({ 'products/p/abc-200.webp': 'skipped', 'uploads/no such upload': 'skipped', [`uploads/${upload.uploadId}`]: 'skipped' });
      await expect(lambda({ Records: [{ eventSource: 'aws:sqs' }] } as unknown as S3Event)).rejects.toThrow();
    });
  });
});
