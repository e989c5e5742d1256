/**
 * Where product media lives: original uploads, put there by the admin's browser with a presigned
 * URL, and the processed variants the shop serves. S3 in production (through CloudFront), the
 * local S3 that `npm start` runs otherwise: one adapter (./s3.ts), one interface.
 */
export interface MediaStorage {
  /**
   * A URL the browser PUTs one object to, valid `expiresInSeconds`, that S3 refuses unless the
   * request carries exactly `contentType` and `byteSize` (both are signed), with the headers to send.
   */
  presignUpload(request: { key: string; contentType: string; byteSize: number; expiresInSeconds: number }): Promise<{
    url: string;
    headers: Record<string, string>;
  }>;
  /** The object's size and type, or undefined when there is none. */
  head(key: string): Promise<{ byteSize: number; contentType: string | undefined } | undefined>;
  /** The object's bytes; refuses (ObjectTooLargeError) one larger than `maxBytes` without reading it all. */
  read(key: string, maxBytes: number): Promise<Buffer>;
  /** Stores an object the shop serves: immutable (content-addressed keys), cached for a year. */
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Where shoppers' browsers load an object from (CloudFront in production). */
  publicUrl(key: string): string;
}

export class ObjectTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly maxBytes: number,
  ) {
    super(`${key} is larger than ${maxBytes} bytes`);
  }
}
