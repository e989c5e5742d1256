// Password hashing through its bounded pool (saturated on purpose with tasks the test holds open,
// so nothing depends on timing), and hashes made with older parameters.
import argon2 from 'argon2';
import { BoundedPool, PoolFullError } from '@cloudmart/runtime';
import { heldTask } from '@cloudmart/test-kit';
import { PasswordHasher } from '../src/domain/passwords';

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
