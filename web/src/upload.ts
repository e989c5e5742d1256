// Product image uploads from the browser: what the products service accepts (checked here first, so
// an admin hears at once about a wrong file), and the PUT of the file to the storage's presigned URL.

/** The types createProductImageUpload accepts, as the file input's `accept` lists them. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The largest upload createProductImageUpload accepts (the size is signed into the URL). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Images a product may have (attachProductImage refuses more). */
export const MAX_PRODUCT_IMAGES = 10;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Why `file` cannot be uploaded as a product image, or undefined when it can. */
export function imageFileProblem(file: File): string | undefined {
  if (!(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type))
    return `“${file.name}” is not a JPEG, PNG or WebP image${file.type ? ` (it is ${file.type})` : ''}. Choose one of those.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_IMAGE_BYTES)
    return `“${file.name}” is ${formatBytes(file.size)}: images can be at most 5 MB. Make it smaller and try again.`;
  return undefined;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** The storage refused the file or could not be reached. */
export class UploadError extends Error {}

/** S3's error document names what went wrong: `<Error><Code>…</Code><Message>…</Message></Error>`. */
function storageRefusal(xhr: XMLHttpRequest): string {
  const text = typeof xhr.response === 'string' ? xhr.response : '';
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const detail = [code, message].filter(Boolean).join(': ');
  return `The storage refused the file (HTTP ${xhr.status}${detail ? `, ${detail}` : ''}). If the upload link expired, upload again.`;
}

/**
 * PUTs `file` as it is to a presigned `url` with exactly `headers` (the signature covers its type and
 * size), reporting progress. XMLHttpRequest rather than fetch: only it reports upload progress.
 * Rejects with UploadError unless the storage answers 2xx, with an AbortError when `signal` aborts.
 */
export function putFile(
  url: string,
  headers: readonly { name: string; value: string }[],
  file: File,
  { onProgress, signal }: { onProgress(progress: UploadProgress): void; signal?: AbortSignal },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const { name, value } of headers) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) =>
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size }),
    );
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
      } else reject(new UploadError(storageRefusal(xhr)));
    });
    // A refusal without CORS headers reads as a network error too: the browser hides its status.
    xhr.addEventListener('error', () =>
      reject(
        new UploadError('The file could not be sent to the storage: the connection failed or was refused.'),
      ),
    );
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
