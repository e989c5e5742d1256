import type { MediaSettings } from '../../config';
import type { MediaStorage } from './port';
import { S3MediaStorage } from './s3';

export { ObjectTooLargeError, type MediaStorage } from './port';

/** The media bucket: AWS's S3 in production, the local S3 (S3_ENDPOINT) that npm start runs otherwise. */
export function createMediaStorage(config: MediaSettings): MediaStorage {
  return new S3MediaStorage({
    bucket: config.MEDIA_BUCKET,
    region: config.AWS_REGION,
    endpoint: config.S3_ENDPOINT,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
    // Unset (not in production): the bucket's own URL, the local S3's (path-style) or S3's.
    publicBaseUrl:
      config.MEDIA_BASE_URL ??
      (config.S3_ENDPOINT
        ? `${config.S3_ENDPOINT.replace(/\/+$/, '')}/${config.MEDIA_BUCKET}`
        : `https://${config.MEDIA_BUCKET}.s3.${config.AWS_REGION}.amazonaws.com`),
  });
}
