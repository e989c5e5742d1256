import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ObjectTooLargeError, type MediaStorage } from './port';

export interface S3MediaStorageOptions {
  bucket: string;
  region: string;
  /** A local S3's URL (path-style requests); unset for AWS. */
  endpoint?: string;
  /** Static credentials (the local S3's); unset in AWS, where the default chain (IRSA) supplies them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Base URL of the served objects: the CloudFront distribution, or the local S3's bucket URL. */
  publicBaseUrl: string;
}

export class S3MediaStorage implements MediaStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3MediaStorageOptions) {
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.endpoint !== undefined,
      credentials: options.credentials,
      // Checksums only where S3 requires them: a presigned PUT would otherwise sign a CRC32 of an
      // empty body, which the browser's upload cannot match.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async presignUpload({ key, contentType, byteSize, expiresInSeconds }: Parameters<MediaStorage['presignUpload']>[0]) {
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: byteSize,
    });
    // The SDK leaves Content-Type out of the signature unless asked; Content-Length it signs.
    const url = await getSignedUrl(this.client, command, {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return { url, headers: { 'content-type': contentType } };
  }

  async head(key: string) {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { byteSize: head.ContentLength ?? 0, contentType: head.ContentType };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      // Without s3:ListBucket (the products role has none: infra/aws/modules/irsa), S3 answers a
      // missing key's HEAD with 403 rather than 404.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) return undefined;
      throw error;
    }
  }

  async read(key: string, maxBytes: number): Promise<Buffer> {
    // Asking for one byte more than allowed tells a too-large object apart without reading it.
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.options.bucket, Key: key, Range: `bytes=0-${maxBytes}` }),
    );
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    if (bytes.length > maxBytes) throw new ObjectTooLargeError(key, maxBytes);
    return bytes;
  }

  async write(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  publicUrl(key: string): string {
    return `${this.options.publicBaseUrl.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}
