// What a Lambda handler opens is opened on the first invocation and reused by the later ones, the
// concurrent first ones included; an open that fails is tried again by the next invocation.
import { lazyHandler, openOnce } from '@cloudmart/runtime/lambda';

describe('openOnce / lazyHandler', () => {
  it('opens nothing until called, then once for every later call, concurrent ones included', async () => {
    let opens = 0;
    const open = openOnce(async () => ({ opened: ++opens }));
    expect(opens).toBe(0);
    const [first, second] = await Promise.all([open(), open()]);
    expect(await open()).toBe(first);
    expect(second).toBe(first);
    expect(opens).toBe(1);
  });

  it('opens again after a failed open, and keeps what the successful one opened', async () => {
    let attempts = 0;
    const open = openOnce(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('credentials not reachable yet');
      return { attempt: attempts };
    });
    await expect(open()).rejects.toThrow('credentials not reachable yet');
    expect(await open()).toEqual({ attempt: 2 });
    expect(await open()).toEqual({ attempt: 2 });
    expect(attempts).toBe(2);
  });

  it('builds the handler on the first invocation and hands every event to it', async () => {
    let builds = 0;
    const seen: number[] = [];
    const handler = lazyHandler(() => {
      builds += 1;
      return async (event: number) => {
        seen.push(event);
        return event * 2;
      };
    });
    expect(builds).toBe(0);
    expect(await handler(1)).toBe(2);
    expect(await handler(2)).toBe(4);
    expect({ builds, seen }).toEqual({ builds: 1, seen: [1, 2] });
  });
});
