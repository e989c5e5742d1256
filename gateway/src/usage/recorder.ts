import type { ClientUsage, FieldUsageSnapshot } from './snapshot';

/** The part of a document that usage needs, computed once per distinct document. */
export interface DocumentShape {
  /** The document's text, as clients sent it (or as their manifest holds it). */
  document: string;
  /** Its schema coordinates (./document-fields). */
  fields: readonly string[];
}

interface Tally {
  count: number;
  /** Milliseconds since the epoch. */
  lastSeen: number;
  /** Part of `count` already added to the shared store (Redis). */
  shared: number;
}

interface OperationTally extends Tally {
  shape: DocumentShape;
}

interface ClientTally {
  operations: Map<string, OperationTally>;
  /** Fields of operations past the operations bound, counted one by one. */
  looseFields: Map<string, Tally>;
}

/** What has not reached the shared store yet, per client: field and operation increments. */
export interface UsageIncrements {
  clients: Map<
    string,
    {
      operations: Map<string, { increment: number; lastSeen: number; document: string }>;
      fields: Map<string, { increment: number; lastSeen: number }>;
    }
  >;
  /** Marks these increments as stored (after the store accepted them). */
  commit(): void;
}

export interface RecorderBounds {
  /** Operations kept with their documents, over every client; past it fields are counted alone. */
  maxOperations: number;
  /** Longest document kept, in characters; a longer one has its fields counted alone. */
  maxDocumentLength: number;
}

/**
 * Field usage of one gateway process, in memory. A request costs one or two map lookups: the
 * (client, operation) tally is counted, and the operation's fields are added up only when a
 * snapshot, a metrics scrape or a flush asks (fields × operations, not per request). Bounded:
 * clients by ClientResolver, operations by `maxOperations`, fields by the schema.
 */
export class FieldUsageRecorder {
  private readonly clients = new Map<string, ClientTally>();
  private operationCount = 0;
  /** Bumped on every record: lets writers skip a snapshot nothing has changed. */
  version = 0;

  constructor(private readonly bounds: RecorderBounds) {}

  /**
   * Counts one operation of `client`. `shape` is asked for only when this client has not used this
   * operation before (the caller memoizes it per document).
   */
  record(client: string, operationKey: string, shape: () => DocumentShape, now = Date.now()): void {
    this.version += 1;
    let tally = this.clients.get(client);
    if (!tally) {
      tally = { operations: new Map(), looseFields: new Map() };
      this.clients.set(client, tally);
    }
    const known = tally.operations.get(operationKey);
    if (known) {
      known.count += 1;
      known.lastSeen = now;
      return;
    }
    const computed = shape();
    if (this.operationCount < this.bounds.maxOperations && computed.document.length <= this.bounds.maxDocumentLength) {
      tally.operations.set(operationKey, { shape: computed, count: 1, lastSeen: now, shared: 0 });
      this.operationCount += 1;
      return;
    }
    for (const field of computed.fields) {
      const loose = tally.looseFields.get(field);
      if (loose) {
        loose.count += 1;
        loose.lastSeen = now;
      } else {
        tally.looseFields.set(field, { count: 1, lastSeen: now, shared: 0 });
      }
    }
  }

  /** Every client's field counts, for the metrics: (client, field, count). */
  *fieldCounts(): Generator<[client: string, field: string, count: number]> {
    for (const [client, tally] of this.clients) {
      for (const [field, usage] of fieldTotals(tally, (t) => t.count)) yield [client, field, usage.count];
    }
  }

  snapshot(): FieldUsageSnapshot {
    const clients: Record<string, ClientUsage> = {};
    for (const [client, tally] of this.clients) {
      const operations: ClientUsage['operations'] = {};
      for (const [key, operation] of tally.operations) {
        operations[key] = {
          document: operation.shape.document,
          lastSeen: new Date(operation.lastSeen).toISOString(),
          count: operation.count,
        };
      }
      const fields: ClientUsage['fields'] = {};
      for (const [field, usage] of fieldTotals(tally, (t) => t.count)) {
        fields[field] = { lastSeen: new Date(usage.lastSeen).toISOString(), count: usage.count };
      }
      clients[client] = { operations, fields };
    }
    return { version: 1, clients };
  }

  /** What has been counted since the last committed increments (for the shared store). */
  increments(): UsageIncrements {
    const clients: UsageIncrements['clients'] = new Map();
    const sent: [Tally, number][] = [];
    const unshared = (tally: Tally) => tally.count - tally.shared;
    for (const [client, tally] of this.clients) {
      const operations = new Map<string, { increment: number; lastSeen: number; document: string }>();
      for (const [key, operation] of tally.operations) {
        const increment = unshared(operation);
        if (increment === 0) continue;
        operations.set(key, { increment, lastSeen: operation.lastSeen, document: operation.shape.document });
        sent.push([operation, operation.count]);
      }
      const fields = new Map<string, { increment: number; lastSeen: number }>();
      for (const [field, usage] of fieldTotals(tally, unshared)) {
        if (usage.count > 0) fields.set(field, { increment: usage.count, lastSeen: usage.lastSeen });
      }
      for (const loose of tally.looseFields.values()) if (unshared(loose) > 0) sent.push([loose, loose.count]);
      if (operations.size || fields.size) clients.set(client, { operations, fields });
    }
    return {
      clients,
      commit() {
        for (const [tally, count] of sent) tally.shared = count;
      },
    };
  }
}

/** A client's field totals: every operation's count added to each of its fields, and the loose fields. */
function fieldTotals(tally: ClientTally, countOf: (tally: Tally) => number): Map<string, { count: number; lastSeen: number }> {
  const totals = new Map<string, { count: number; lastSeen: number }>();
  const add = (field: string, count: number, lastSeen: number) => {
    const total = totals.get(field);
    if (!total) totals.set(field, { count, lastSeen });
    else {
      total.count += count;
      if (lastSeen > total.lastSeen) total.lastSeen = lastSeen;
    }
  };
  for (const operation of tally.operations.values()) {
    const count = countOf(operation);
    if (count === 0) continue;
    for (const field of operation.shape.fields) add(field, count, operation.lastSeen);
  }
  for (const [field, loose] of tally.looseFields) {
    const count = countOf(loose);
    if (count > 0) add(field, count, loose.lastSeen);
  }
  return totals;
}
