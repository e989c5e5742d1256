// Field usage shared in Redis (REDIS_URL), against a real redis-server: counts from two replicas
// add up, and usage is kept in day buckets that expire, so what no usage window reads any more
// leaves Redis by itself.
import { Redis } from 'ioredis';
import { startRedis } from '@cloudmart/test-kit';
import { FieldUsageRecorder } from '../../src/usage/recorder';
import { RedisUsageStore } from '../../src/usage/redis-store';

const DAY_MS = 86_400_000;
const start = Date.parse('2026-11-10T12:00:00Z');

describe('RedisUsageStore', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  /** A replica's store on a clock the test moves, and one recorded request per call of `send`. */
  function replica(clock: { now: number }, retentionDays: number) {
    const store = new RedisUsageStore(redis.url, (error) => { throw error; }, retentionDays, () => clock.now);
    const recorder = new FieldUsageRecorder({ maxOperations: 10, maxDocumentLength: 1_000 });
    return {
      store,
      async send(client: string, field: string) {
        recorder.record(client, `Op${field}@0`, () => ({ document: `{ ${field} }`, fields: [`Query.${field}`] }));
        await store.add(recorder.increments());
      },
    };
  }

  it('adds up every replica’s counts for a day, and reads back only the days asked for', async () => {
    const clock = { now: start };
    const [a, b] = [replica(clock, 30), replica(clock, 30)];
    try {
      await a.send('ios', 'products');
      await b.send('ios', 'products');
      clock.now += DAY_MS;
      await b.send('ios', 'products');
      await b.send('partner-x', 'categories');

      const all = await a.store.read();
      expect(all.clients.ios!.fields['Query.products']!.count).toBe(3);
      expect(all.clients.ios!.operations['Opproducts@0']).toEqual({ document: '{ products }', lastSeen: expect.any(String), count: 3 });
      expect(Object.keys(all.clients).sort()).toEqual(['ios', 'partner-x']);
      const today = await a.store.read(1);
      expect(today.clients.ios!.fields['Query.products']!.count).toBe(1);
      expect((await a.store.clientNames()).sort()).toEqual(['ios', 'partner-x']);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });

  it('lets each day expire after the retention, and no longer reads a day past it', async () => {
    const clock = { now: start + 100 * DAY_MS };
    const { store, send } = replica(clock, 7);
    const inspect = new Redis(redis.url);
    try {
      await send('android', 'orders');
      const keys = await inspect.keys('cloudmart:field-usage:2027-02-18:*');
      expect(keys.sort()).toEqual([
        'cloudmart:field-usage:2027-02-18:client:android',
        'cloudmart:field-usage:2027-02-18:clients',
        'cloudmart:field-usage:2027-02-18:documents',
      ]);
      for (const key of keys) {
        const ttl = await inspect.ttl(key);
        expect(ttl).toBeGreaterThan(7 * 86_400);
        expect(ttl).toBeLessThanOrEqual(8 * 86_400);
      }
      clock.now += 6 * DAY_MS;
      expect((await store.read()).clients.android?.fields['Query.orders']?.count).toBe(1);
      clock.now += DAY_MS; // the eighth day: outside 7 days kept, even before Redis drops it
      expect((await store.read()).clients).toEqual({});
      expect(await store.clientNames()).toEqual([]);
    } finally {
      await store.close();
      inspect.disconnect();
    }
  });
});
