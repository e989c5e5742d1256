import { Redis } from 'ioredis';
import type { UsageIncrements } from './recorder';
import { emptySnapshot, mergeSnapshots, type FieldUsageSnapshot } from './snapshot';

const PREFIX = 'cloudmart:field-usage:';
// Usage is kept in one bucket per UTC day, each expiring `retentionDays` after its day: what is
// older than any usage window ages out by itself, so the store is bounded by the days kept, even
// though every restart of every replica may bring operations it has not seen before.
const clientsKey = (day: string) => `${PREFIX}${day}:clients`;
const documentsKey = (day: string) => `${PREFIX}${day}:documents`;
const clientKey = (day: string, client: string) => `${PREFIX}${day}:client:${client}`;
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** How long recorded usage is kept in Redis unless FIELD_USAGE_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

/**
 * Adds counts and keeps the latest lastSeen, atomically per client hash: every replica adds its
 * own increments, so concurrent flushes merge instead of overwriting each other. ARGV holds
 * triples (member, increment, lastSeen in ms); the hash holds `n|member` (count) and `t|member`.
 */
const ADD_USAGE_SCRIPT = `
for i = 1, #ARGV, 3 do
  local member = ARGV[i]
  redis.call('HINCRBY', KEYS[1], 'n|' .. member, ARGV[i + 1])
  local seen = tonumber(redis.call('HGET', KEYS[1], 't|' .. member) or '0')
  if tonumber(ARGV[i + 2]) > seen then redis.call('HSET', KEYS[1], 't|' .. member, ARGV[i + 2]) end
end
return 0`;

type AddUsage = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** Redis connection options shared with the gateway's other Redis stores (APQ, entity cache). */
const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });

/**
 * Field usage shared by every gateway replica (REDIS_URL). Per day, members of a client's hash are
 * `op:<operation key>` and `field:<coordinate>`; documents are kept once per operation key.
 */
export class RedisUsageStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    onError: (error: unknown) => void,
    private readonly retentionDays = DEFAULT_RETENTION_DAYS,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = connect(url);
    this.redis.on('error', onError);
    this.redis.defineCommand('cloudmartAddUsage', { numberOfKeys: 1, lua: ADD_USAGE_SCRIPT });
  }

  /** Adds the increments to today's bucket; rejects (and they stay pending) when Redis does not take them. */
  async add(increments: UsageIncrements): Promise<void> {
    if (increments.clients.size === 0) return;
    const day = dayOf(this.now());
    const ttlSeconds = (this.retentionDays + 1) * 86_400;
    const pipeline = this.redis.pipeline();
    // Commands that defineCommand adds exist only at run time: ioredis cannot type them.
    const addUsage = (pipeline as unknown as { cloudmartAddUsage: AddUsage }).cloudmartAddUsage.bind(pipeline);
    for (const [client, { operations, fields }] of increments.clients) {
      pipeline.sadd(clientsKey(day), client);
      const args: (string | number)[] = [];
      for (const [key, operation] of operations) {
        args.push(`op:${key}`, operation.increment, operation.lastSeen);
        pipeline.hsetnx(documentsKey(day), key, operation.document);
      }
      for (const [field, usage] of fields) args.push(`field:${field}`, usage.increment, usage.lastSeen);
      void addUsage(clientKey(day, client), ...args);
      pipeline.expire(clientKey(day, client), ttlSeconds);
    }
    pipeline.expire(clientsKey(day), ttlSeconds);
    pipeline.expire(documentsKey(day), ttlSeconds);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    increments.commit();
  }

  /** The days kept, today first. */
  private days(count: number): string[] {
    const today = this.now();
    return Array.from({ length: count }, (_, index) => dayOf(today - index * DAY_MS));
  }

  /** Every client name recorded in the days kept, by any replica. */
  clientNames(): Promise<string[]> {
    return this.redis.sunion(...this.days(this.retentionDays).map(clientsKey));
  }

  /** The usage of the last `days` days (every day kept by default), merged. */
  async read(days = this.retentionDays): Promise<FieldUsageSnapshot> {
    const snapshots = await Promise.all(this.days(Math.min(days, this.retentionDays)).map((day) => this.readDay(day)));
    return mergeSnapshots(snapshots);
  }

  private async readDay(day: string): Promise<FieldUsageSnapshot> {
    const snapshot = emptySnapshot();
    const [clients, documents] = await Promise.all([this.redis.smembers(clientsKey(day)), this.redis.hgetall(documentsKey(day))]);
    const hashes = await Promise.all(clients.map((client) => this.redis.hgetall(clientKey(day, client))));
    clients.forEach((client, index) => {
      const hash = hashes[index]!;
      const usage: FieldUsageSnapshot['clients'][string] = { operations: {}, fields: {} };
      for (const [member, value] of Object.entries(hash)) {
        if (!member.startsWith('n|')) continue;
        const name = member.slice(2);
        const entry = { lastSeen: new Date(Number(hash[`t|${name}`] ?? 0)).toISOString(), count: Number(value) };
        if (name.startsWith('field:')) usage.fields[name.slice('field:'.length)] = entry;
        else if (name.startsWith('op:')) {
          const key = name.slice('op:'.length);
          usage.operations[key] = { document: documents[key] ?? '', ...entry };
        }
      }
      snapshot.clients[client] = usage;
    });
    return snapshot;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
