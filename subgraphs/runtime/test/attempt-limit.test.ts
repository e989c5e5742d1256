// Failed-attempt limits (src/attempt-limit.ts): free failures, a lock doubling up to a ceiling,
// withdrawn and cleared attempts; in memory, and in a real redis-server shared by two replicas,
// with the in-memory fallback when Redis is gone. Time is a test clock, never a sleep.
import {
  createAttemptLimiter,
  createLogger,
  FailedAttempts,
  type Admission,
  type AttemptLimiter,
  type AttemptLimits,
} from '../src';
import { startRedis } from '@cloudmart/test-kit';

const limits: AttemptLimits = { freeFailures: 3, lockSeconds: 10, maxLockSeconds: 40, forgetAfterSeconds: 3_600 };
const log = createLogger('attempt-limit-test', 'silent');

/** A clock the test moves by hand. */
function testClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
}

const admitted = (admission: Admission) => {
  if (!admission.admitted) throw new Error(`refused for ${admission.retryAfter} s`);
  return admission;
};

/** The behaviour both stores share; `make` builds limiters (replicas) over one store and one clock. */
function describeLimiter(name: string, setUp: () => Promise<{ make(now: () => number): AttemptLimiter; stop(): Promise<void> }>) {
  describe(name, () => {
    let make: (now: () => number) => AttemptLimiter;
    let stop: () => Promise<void>;
    const opened: AttemptLimiter[] = [];
    let keyNumber = 0;
    const freshKey = () => `key-${process.pid}-${++keyNumber}`;
    const limiter = (now: () => number) => {
      const made = make(now);
      opened.push(made);
      return made;
    };

    beforeAll(async () => {
      ({ make, stop } = await setUp());
    });
    afterAll(async () => {
      for (const made of opened) await made.close();
      await stop();
    });

    it('locks after the free failures, for a time that doubles up to the ceiling', async () => {
      const clock = testClock();
      const attempts = limiter(clock.now);
      const key = freshKey();
      for (let i = 0; i < limits.freeFailures; i++) expect(admitted(await attempts.admit(key)).lockedUntil).toBe(0);
      const locks: number[] = [];
      for (let i = 0; i < 4; i++) {
        const attempt = admitted(await attempts.admit(key)); // this failure starts a lock
        locks.push((attempt.lockedUntil - clock.now()) / 1000);
        expect(await attempts.admit(key)).toEqual({ admitted: false, retryAfter: locks.at(-1) });
        clock.advance(locks.at(-1)! - 1);
        expect(await attempts.admit(key)).toEqual({ admitted: false, retryAfter: 1 });
        clock.advance(1);
      }
      expect(locks).toEqual([10, 20, 40, 40]);
    });

    it('keeps keys apart', async () => {
      const clock = testClock();
      const attempts = limiter(clock.now);
      const [locked, other] = [freshKey(), freshKey()];
      for (let i = 0; i <= limits.freeFailures; i++) await attempts.admit(locked);
      expect((await attempts.admit(locked)).admitted).toBe(false);
      expect((await attempts.admit(other)).admitted).toBe(true);
    });

    it('takes back a withdrawn attempt, and the lock it started', async () => {
      const clock = testClock();
      const attempts = limiter(clock.now);
      const key = freshKey();
      for (let i = 0; i < limits.freeFailures; i++) await attempts.admit(key);
      const locking = admitted(await attempts.admit(key));
      expect(locking.lockedUntil).toBeGreaterThan(0);
      await attempts.withdraw(key, locking);
      // Back to the free failures used up, unlocked: the next failure locks again.
      expect(admitted(await attempts.admit(key)).lockedUntil).toBe(clock.now() + 10_000);
    });

    it('forgets a cleared key at once, and any key after forgetAfterSeconds', async () => {
      const clock = testClock();
      const attempts = limiter(clock.now);
      const [cleared, idle] = [freshKey(), freshKey()];
      for (let i = 0; i <= limits.freeFailures; i++) {
        await attempts.admit(cleared);
        await attempts.admit(idle);
      }
      await attempts.clear(cleared);
      for (let i = 0; i < limits.freeFailures; i++) expect(admitted(await attempts.admit(cleared)).lockedUntil).toBe(0);
      clock.advance(limits.forgetAfterSeconds);
      expect(admitted(await attempts.admit(idle)).lockedUntil).toBe(0);
    });

    it('admits concurrent attempts only up to the free failures and the lock', async () => {
      const clock = testClock();
      const attempts = limiter(clock.now);
      const key = freshKey();
      const burst = await Promise.all(Array.from({ length: 20 }, () => attempts.admit(key)));
      expect(burst.filter((admission) => admission.admitted)).toHaveLength(limits.freeFailures + 1);
    });
  });
}

describeLimiter('failed attempts in memory', async () => ({
  make: (now) => new FailedAttempts(limits, now),
  stop: async () => {},
}));

describeLimiter('failed attempts in Redis', async () => {
  const redis = await startRedis();
  return {
    make: (now) => createAttemptLimiter({ redisUrl: redis.url, limits, log, name: 'test', now }),
    stop: redis.stop,
  };
});

describe('failed attempts shared through Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('locks a key on every replica, and each replica limits on its own when Redis is gone', async () => {
    const clock = testClock();
    const [a, b] = [0, 1].map(() => createAttemptLimiter({ redisUrl: redis!.url, limits, log, name: 'shared', now: clock.now }));
    try {
      for (let i = 0; i <= limits.freeFailures; i++) admitted(await (i % 2 ? a : b)!.admit('account'));
      expect(await a!.admit('account')).toEqual({ admitted: false, retryAfter: 10 });
      expect(await b!.admit('account')).toEqual({ admitted: false, retryAfter: 10 });

      const stopping = redis!;
      redis = undefined;
      await stopping.stop();
      // Each replica now counts on its own, from nothing: still limited, not wide open.
      for (let i = 0; i <= limits.freeFailures; i++) admitted(await a!.admit('other'));
      expect(await a!.admit('other')).toEqual({ admitted: false, retryAfter: 10 });
    } finally {
      await a!.close();
      await b!.close();
    }
  });
});

it('keeps at most maxKeys keys in memory, the least recently tried dropped first', async () => {
  const clock = testClock();
  const attempts = new FailedAttempts({ ...limits, freeFailures: 0 }, clock.now, 2);
  for (const key of ['a', 'b', 'c']) admitted(await attempts.admit(key));
  expect((await attempts.admit('a')).admitted).toBe(true); // dropped: its lock went with it
  expect((await attempts.admit('c')).admitted).toBe(false);
});
