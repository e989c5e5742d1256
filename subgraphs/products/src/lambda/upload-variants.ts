// The variant-making step as an AWS Lambda on the media bucket's ObjectCreated events (uploads/*),
// for production: the admin's file is processed as soon as it lands, so attachProductImage only
// appends what is ready. Same code as the service's in-process path (domain/upload-processing.ts);
// without the Lambda (locally, or an attach that comes first) the attach does the work itself.
//
// S3 invokes it asynchronously with the documented event (Records[].eventName "ObjectCreated:Put",
// s3.bucket.name, s3.object.key URL-encoded with "+" for spaces). A file that will not do is a
// verdict, recorded on the upload, not a failure. Anything else (a store away) is thrown, so
// Lambda retries the event (twice, then its on-failure destination): the step is idempotent.
import { z } from 'zod';
import { createDocumentClient, createLogger, dynamoConfigSchema, loadConfig, type Logger } from '@cloudmart/runtime';
import { lazyHandler } from '@cloudmart/runtime/lambda';
import { mediaSettingsSchema } from '../config';
import { productTablesFor } from '../data';
import { UploadStore } from '../data/upload-store';
import { ImageRejectedError } from '../domain/image-processing';
import { makeUploadVariants, UploadRefusedError } from '../domain/upload-processing';
import { createMediaStorage, type MediaStorage } from '../services/media-storage';

const s3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventSource: z.literal('aws:s3'),
      eventName: z.string(),
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
    }),
  ),
});
export type S3Event = z.input<typeof s3EventSchema>;

/** An S3 event's object key as stored: URL-encoded, with "+" for a space. */
const objectKey = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));
const UPLOAD_KEY = /^uploads\/([\w-]{1,200})$/;

export interface UploadVariantsDeps {
  uploads: UploadStore;
  storage: MediaStorage;
  log: Logger;
}

export type UploadVariantsOutcome = 'prepared' | 'rejected' | 'skipped';

/** The handler over its stores; `handler` below builds them from the environment. */
export function uploadVariantsHandler({ uploads, storage, log }: UploadVariantsDeps) {
  return async (event: S3Event): Promise<Record<string, UploadVariantsOutcome>> => {
    const outcomes: Record<string, UploadVariantsOutcome> = {};
    for (const record of s3EventSchema.parse(event).Records) {
      const key = objectKey(record.s3.object.key);
      const uploadId = UPLOAD_KEY.exec(key)?.[1];
      const upload = uploadId && record.eventName.startsWith('ObjectCreated:') ? await uploads.get(uploadId) : null;
      // Not an upload, or one already attached, refused or expired: nothing to do.
      if (!upload || upload.status !== 'PENDING' || upload.prepared || upload.rejection) {
        outcomes[key] = 'skipped';
        continue;
      }
      try {
        const prepared = await makeUploadVariants(storage, upload);
        outcomes[key] = (await uploads.recordPrepared(upload.uploadId, { prepared })) ? 'prepared' : 'skipped';
      } catch (error) {
        if (error instanceof ImageRejectedError) {
          await uploads.recordPrepared(upload.uploadId, { rejection: { reason: error.reason, message: error.message } });
          outcomes[key] = 'rejected';
        } else if (error instanceof UploadRefusedError) {
          // Not the declared file: the attach says so (and S3 will not have stored a mismatch).
          outcomes[key] = 'skipped';
        } else {
          throw error;
        }
      }
      log.info({ key, outcome: outcomes[key] }, 'upload processed');
    }
    return outcomes;
  };
}

/**
 * The Lambda's entry point, built on the first invocation. It reads only the media and DynamoDB
 * settings of the products service (MEDIA_BUCKET, DYNAMODB_TABLE_PREFIX, AWS_REGION) and touches
 * only the uploads table and the bucket's objects: it creates no table and needs none of the
 * service's other secrets.
 */
export const handler = lazyHandler(() => {
  const config = loadConfig(dynamoConfigSchema.extend(mediaSettingsSchema.shape), process.env);
  const uploads = new UploadStore(createDocumentClient(config), productTablesFor(config.DYNAMODB_TABLE_PREFIX));
  return uploadVariantsHandler({ uploads, storage: createMediaStorage(config), log: createLogger('products-upload-variants') });
});
