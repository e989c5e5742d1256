import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What the gateway has recorded of its clients' operations: the file the gateway writes
 * (FIELD_USAGE_FILE) and what `readFieldUsage` returns, from that file or from Redis. Fields are
 * schema coordinates ("Type.field", "Type.field(arg)", "Input.field"); operations are keyed by
 * their manifest id, or by operation name and document hash for free-form documents.
 */
const usageSchema = z.object({ lastSeen: z.string(), count: z.number().int().nonnegative() });
const operationUsageSchema = usageSchema.extend({ document: z.string() });
const clientUsageSchema = z.object({
  operations: z.record(z.string(), operationUsageSchema),
  fields: z.record(z.string(), usageSchema),
});
export const fieldUsageSnapshotSchema = z.object({
  version: z.literal(1),
  clients: z.record(z.string(), clientUsageSchema),
});

export type FieldUsageSnapshot = z.infer<typeof fieldUsageSnapshotSchema>;
export type ClientUsage = z.infer<typeof clientUsageSchema>;
export type OperationUsage = z.infer<typeof operationUsageSchema>;
export type Usage = z.infer<typeof usageSchema>;

export const emptySnapshot = (): FieldUsageSnapshot => ({ version: 1, clients: {} });

/** The snapshot in a file; a missing file is an empty snapshot (nothing recorded yet). */
export function readSnapshotFile(file: string): FieldUsageSnapshot {
  if (!existsSync(file)) return emptySnapshot();
  return fieldUsageSnapshotSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Writes through a temporary file renamed into place, so a reader never sees half a file. */
export function writeSnapshotFile(file: string, snapshot: FieldUsageSnapshot): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Several snapshots as one: counts added, the latest lastSeen kept. Past `maxOperations`, the
 * operations seen longest ago lose their entry (their fields stay counted): a file that carries
 * usage across restarts stays bounded.
 */
export function mergeSnapshots(
  snapshots: readonly FieldUsageSnapshot[],
  maxOperations = Number.POSITIVE_INFINITY,
): FieldUsageSnapshot {
  const merged = emptySnapshot();
  const add = <T extends Usage>(into: Record<string, T>, key: string, usage: T) => {
    const known = into[key];
    if (!known) into[key] = { ...usage };
    else {
      known.count += usage.count;
      if (usage.lastSeen > known.lastSeen) known.lastSeen = usage.lastSeen;
    }
  };
  for (const snapshot of snapshots) {
    for (const [client, usage] of Object.entries(snapshot.clients)) {
      const into = (merged.clients[client] ??= { operations: {}, fields: {} });
      for (const [key, operation] of Object.entries(usage.operations)) add(into.operations, key, operation);
      for (const [field, fieldUsage] of Object.entries(usage.fields)) add(into.fields, field, fieldUsage);
    }
  }
  const operations = Object.values(merged.clients).flatMap((usage) =>
    Object.entries(usage.operations).map(([key, operation]) => ({ usage, key, lastSeen: operation.lastSeen })),
  );
  if (operations.length > maxOperations) {
    operations.sort((a, b) => (a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0));
    for (const { usage, key } of operations.slice(0, operations.length - maxOperations)) delete usage.operations[key];
  }
  return merged;
}
