import { existsSync } from 'node:fs';
import { WEB_CLIENT, type FieldUsageSnapshot } from '@cloudmart/gateway/usage';
import { partnerManifests } from '@cloudmart/gateway/partners';
import { readManifest } from '@cloudmart/gateway/persisted-queries';

/**
 * The operations a schema change must not break, from the three places clients are known: the
 * web client's persisted-query manifest, each partner's registered manifest, and what the gateway
 * recorded in use (operations with their documents, and bare field coordinates) within the window.
 */
export type OperationSource = 'web manifest' | 'partner manifest' | 'recorded usage';

export interface RegisteredOperation {
  /** `web`, the partner's name, or the client name the gateway recorded. */
  client: string;
  source: OperationSource;
  /** The operation's name, else its id. */
  name: string;
  document: string;
  /** Recorded usage only: when the gateway last saw it, and how often. */
  lastSeen?: string;
  count?: number;
}

/** A field coordinate ("Type.field", "Type.field(arg)", "Input.field") a client used recently. */
export interface RecentField {
  client: string;
  coordinate: string;
  lastSeen: string;
  count: number;
}

/** The web client's name in reports: the one the gateway records its usage under. */
export { WEB_CLIENT };

export function manifestOperations(file: string, client: string, source: OperationSource): RegisteredOperation[] {
  return readManifest(file).operations.map((operation) => ({
    client,
    source,
    name: operation.name ?? operation.id,
    document: operation.body,
  }));
}

/** Every registered partner's operations; a partner whose manifest file is gone is reported. */
export function partnerOperations(partnersFile: string): {
  operations: RegisteredOperation[];
  partners: string[];
  missing: string[];
} {
  const operations: RegisteredOperation[] = [];
  const partners: string[] = [];
  const missing: string[] = [];
  for (const { name, manifest } of partnerManifests(partnersFile)) {
    partners.push(name);
    if (!existsSync(manifest)) missing.push(`${name} (${manifest})`);
    else operations.push(...manifestOperations(manifest, name, 'partner manifest'));
  }
  return { operations, partners, missing };
}

/** What the gateway recorded since `since`; older entries are counted, not checked. */
export function recordedUsage(
  snapshot: FieldUsageSnapshot,
  since: Date,
): { operations: RegisteredOperation[]; fields: RecentField[]; olderEntries: number } {
  const operations: RegisteredOperation[] = [];
  const fields: RecentField[] = [];
  let olderEntries = 0;
  const recent = (lastSeen: string) => {
    const time = Date.parse(lastSeen);
    const isRecent = !Number.isNaN(time) && time >= since.getTime();
    if (!isRecent) olderEntries += 1;
    return isRecent;
  };
  for (const [client, usage] of Object.entries(snapshot.clients)) {
    for (const [key, operation] of Object.entries(usage.operations)) {
      if (!recent(operation.lastSeen)) continue;
      operations.push({
        client,
        source: 'recorded usage',
        name: key,
        document: operation.document,
        lastSeen: operation.lastSeen,
        count: operation.count,
      });
    }
    for (const [coordinate, field] of Object.entries(usage.fields)) {
      if (recent(field.lastSeen)) fields.push({ client, coordinate, lastSeen: field.lastSeen, count: field.count });
    }
  }
  return { operations, fields, olderEntries };
}
