// Removes the originals of image uploads nobody attached. An admin may ask for an upload URL and
// never attach (the tab closed, the file refused by the browser, an attach that died): the object
// under uploads/ and its record would stay. In production the bucket's lifecycle rule deletes
// uploads/ after a day and DynamoDB's TTL the records; this sweep does the same work wherever the
// service runs (the local S3 has neither), and sooner. Every replica sweeps; an upload is marked
// EXPIRED conditionally, so an attach that takes it meanwhile wins and its file stays.
import type { Logger } from '@cloudmart/runtime';
import type { UploadStore } from '../data/upload-store';
import type { MediaStorage } from '../services/media-storage';

export interface UploadSweeperOptions {
  /** Between sweeps. */
  intervalMs: number;
  /** Uploads handled per sweep at most; the rest wait for the next. */
  batchSize?: number;
}

export class UploadSweeper {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    private readonly uploads: UploadStore,
    private readonly storage: MediaStorage,
    private readonly log: Logger,
    private readonly options: UploadSweeperOptions,
  ) {}

  /** One pass: every upload expired before `now` and never attached loses its original. */
  async sweepOnce(now = new Date()): Promise<{ expired: number }> {
    let expired = 0;
    for (const upload of await this.uploads.expiredUnattached(now, this.options.batchSize ?? 100)) {
      if (!(await this.uploads.expire(upload))) continue;
      await this.storage.delete(upload.key);
      expired += 1;
    }
    if (expired > 0) this.log.info({ expired }, 'swept expired image uploads');
    return { expired };
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.sweeping ??= this.sweepOnce()
        .catch((error: unknown) => this.log.warn({ err: error }, 'upload sweep failed; trying again at the next interval'))
        .finally(() => (this.sweeping = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping, after the sweep in hand. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }
}
