import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '@cloudmart/runtime';

/** Apollo's persisted-query manifest format (what `generate-persisted-query-manifest` writes). */
export const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      type: z.enum(['query', 'mutation', 'subscription']).optional(),
      body: z.string().min(1),
    }),
  ),
});
export type PersistedQueryManifest = z.infer<typeof manifestSchema>;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads and checks a manifest: every id must be the SHA-256 of its body, as clients compute it. */
export function readManifest(file: string): PersistedQueryManifest {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const operation of manifest.operations) {
    if (operation.id !== sha256Hex(operation.body)) {
      throw new Error(
        `${file}: operation ${operation.name ?? operation.id} has an id that is not the SHA-256 of its body`,
      );
    }
  }
  return manifest;
}

/**
 * One manifest file, loaded at start and reloaded when it changes (fs.watch, with a poll as a
 * fallback for file systems and editors that replace files without an event). A manifest that
 * fails to parse keeps the last good version and is logged. A missing file is an empty list.
 */
export class ManifestFile {
  private operations = new Map<string, string>();
  private bodies = new Set<string>();
  private watcher?: FSWatcher;

  constructor(
    readonly file: string,
    private readonly log: Logger,
    pollMs = 2_000,
  ) {
    this.reload();
    try {
      if (existsSync(file)) this.watcher = watch(file, () => this.reload());
    } catch (error) {
      log.warn({ err: error, file }, 'cannot watch the persisted-query manifest; polling only');
    }
    watchFile(file, { interval: pollMs, persistent: false }, () => this.reload());
  }

  reload(): void {
    if (!existsSync(this.file)) {
      this.operations = new Map();
      this.bodies = new Set();
      return;
    }
    try {
      const manifest = readManifest(this.file);
      this.operations = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
      this.bodies = new Set(this.operations.keys());
      this.log.info({ file: this.file, operations: this.operations.size }, 'persisted-query manifest loaded');
    } catch (error) {
      this.log.error(
        { err: error, file: this.file },
        'persisted-query manifest rejected; keeping the previous one',
      );
    }
  }

  /** The operation body for an id, or undefined. */
  get(id: string): string | undefined {
    return this.operations.get(id);
  }

  /** True when this exact body is in the manifest. */
  hasBody(body: string): boolean {
    return this.bodies.has(sha256Hex(body));
  }

  close(): void {
    this.watcher?.close();
    unwatchFile(this.file);
  }
}

/** The first-party manifests (the web client's and PERSISTED_QUERY_MANIFESTS), searched in order. */
export class ManifestSet {
  constructor(private readonly manifests: ManifestFile[]) {}

  get(id: string): string | undefined {
    for (const manifest of this.manifests) {
      const body = manifest.get(id);
      if (body !== undefined) return body;
    }
    return undefined;
  }

  hasBody(body: string): boolean {
    return this.manifests.some((manifest) => manifest.hasBody(body));
  }

  close(): void {
    for (const manifest of this.manifests) manifest.close();
  }
}
