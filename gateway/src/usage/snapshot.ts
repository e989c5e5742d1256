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
