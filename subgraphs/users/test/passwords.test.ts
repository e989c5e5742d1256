// Password hashing: the bounded pool's admission control (saturated on purpose with tasks the test
// holds open, so nothing depends on timing), and hashes made with older parameters.
import argon2 from 'argon2';
import { BoundedPool, PoolFullError } from '../src/domain/bounded-pool';
import { PasswordHasher } from '../src/domain/passwords';

/** A task that runs until the test releases it. */
function heldTask() {
  let release!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      started();
      await done;
      return 'finished';
    },
    running,
    release,
  };
}

describe('BoundedPool', () => {
  it('runs `concurrency` tasks, queues `queueLimit` more in order, and refuses the rest at once', async () => {
    const pool = new BoundedPool(2, 1, 60_000);
    const [a, b, c] = [heldTask(), heldTask(), heldTask()];
    const results = [pool.run(a.task), pool.run(b.task), pool.run(c.task)];
    await Promise.all([a.running, b.running]);
    expect({ running: pool.running, waiting: pool.waiting }).toEqual({ running: 2, waiting: 1 });

    await expect(pool.run(async () => 'never')).rejects.toEqual(new PoolFullError(1));

    a.release(); // c takes a's place
    await c.running;
    expect({ running: pool.running, waiting: pool.waiting }).toEqual({ running: 2, waiting: 0 });
    b.release();
    c.release();
    expect(await Promise.all(results)).toEqual(['finished', 'finished', 'finished']);
    expect({ running: pool.running, waiting: pool.waiting }).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once a task whose turn is not expected within maxWaitMs', async () => {
    // Tasks are expected to take 1 s (no task has finished yet to say otherwise): one may wait.
    const pool = new BoundedPool(1, 10, 1_500, 1_000);
    const [running, queued] = [heldTask(), heldTask()];
    const results = [pool.run(running.task), pool.run(queued.task)];
    await running.running;
    await expect(pool.run(async () => 'never')).rejects.toEqual(new PoolFullError(2));
    running.release();
    queued.release();
    expect(await Promise.all(results)).toEqual(['finished', 'finished']);
  });

  it('refuses a waiting task whose turn has not come after maxWaitMs', async () => {
    const pool = new BoundedPool(1, 10, 20, 1);
    const running = heldTask();
    const holding = pool.run(running.task);
    await running.running;
    await expect(pool.run(async () => 'too late')).rejects.toBeInstanceOf(PoolFullError);
    expect({ running: pool.running, waiting: pool.waiting }).toEqual({ running: 1, waiting: 0 });
    running.release();
    await holding;
  });

  it('frees the turn of a task that fails', async () => {
    const pool = new BoundedPool(1, 0, 60_000);
    await expect(pool.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pool.run(async () => 'next')).toBe('next');
  });
});

describe('PasswordHasher', () => {
  const current = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };
  const hasher = new PasswordHasher(current, new BoundedPool(2, 8, 60_000));

  it('hashes with argon2id at the configured cost', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await hasher.verify(hash, 'correct horse')).toBe(true);
    expect(await hasher.verify(hash, 'wrong horse')).toBe(false);
    expect(hasher.isOutdated(hash)).toBe(false);
  });

  it('verifies a hash made with the old defaults (64 MiB, t=3, p=4) and calls it outdated', async () => {
    const old = await argon2.hash('correct horse', { type: argon2.argon2id }); // what passwords.ts used to store
    expect(old).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(await hasher.verify(old, 'correct horse')).toBe(true);
    expect(await hasher.verify(old, 'wrong horse')).toBe(false);
    expect(hasher.isOutdated(old)).toBe(true);
  });

  it('calls a hash of another argon2 variant outdated', async () => {
    expect(hasher.isOutdated(await argon2.hash('x', { type: argon2.argon2i, memoryCost: 19_456, timeCost: 2, parallelism: 1 }))).toBe(true);
  });

  it('answers an unknown account with false, through the same pool', async () => {
    expect(await hasher.verifyDecoy('anything')).toBe(false);
  });

  it('refuses at once when its pool is full', async () => {
    const pool = new BoundedPool(1, 0, 60_000);
    const held = heldTask();
    const holding = pool.run(held.task);
    await held.running;
    const busy = new PasswordHasher(current, pool);
    await expect(busy.refuseIfBusy()).rejects.toBeInstanceOf(PoolFullError);
    await expect(busy.hash('correct horse')).rejects.toBeInstanceOf(PoolFullError);
    await expect(busy.verifyDecoy('anything')).rejects.toBeInstanceOf(PoolFullError);
    held.release();
    await holding;
    await expect(busy.refuseIfBusy()).resolves.toBeUndefined();
    expect(await busy.verifyDecoy('anything')).toBe(false); // the refused decoy was not kept
  });
});
