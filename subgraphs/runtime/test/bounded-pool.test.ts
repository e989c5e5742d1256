// BoundedPool's admission control, saturated on purpose with tasks the test holds open, so nothing
// depends on timing.
import { heldTask } from '@cloudmart/test-kit';
import { BoundedPool, PoolFullError } from '../src/bounded-pool';

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
