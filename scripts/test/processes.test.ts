// The launcher's stop (scripts/processes.ts) against children that will not stop by themselves:
// one ignoring SIGTERM, one whose event loop never turns and which has started a child of its own.
import { spawn } from 'node:child_process';
import { processAlive as alive } from '@cloudmart/test-kit';
import { killAll, isRunning, stopChild } from '../processes';

function spawnDetached(code: string) {
  const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const firstLine = new Promise<string>((resolve) =>
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { child, firstLine };
}

describe('stopping the launcher’s children', () => {
  it('stops a well-behaved child with SIGTERM alone', async () => {
    const { child, firstLine } = spawnDetached(`process.on('SIGTERM', () => process.exit(0)); console.log('up'); setInterval(() => {}, 1000);`);
    await firstLine;
    let killed = false;
    await stopChild(child, 10_000, () => (killed = true));
    expect(killed).toBe(false);
    expect(child.exitCode).toBe(0);
  });

  it('kills a child whose event loop is stuck, and what it started, after the grace period', async () => {
    // Starts a grandchild, reports its pid, then never yields again (its SIGTERM handler cannot run).
    const { child, firstLine } = spawnDetached(
      `const { spawn } = require('node:child_process');
       const grandchild = spawn('sleep', ['300'], { stdio: 'ignore' });
       process.on('SIGTERM', () => process.exit(0));
       console.log(String(grandchild.pid));
       setTimeout(() => { for (;;) {} }, 50);`,
    );
    const grandchild = Number(await firstLine);
    expect(alive(grandchild)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the loop is now stuck
    let killed = false;
    await stopChild(child, 300, () => (killed = true));
    expect(killed).toBe(true);
    expect(child.signalCode).toBe('SIGKILL');
    expect(isRunning(child)).toBe(false);
    // The whole group went: nothing is left behind.
    for (let attempt = 0; attempt < 50 && alive(grandchild); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('kills every child at once on a second Ctrl-C', async () => {
    const stubborn = [0, 1].map(() => spawnDetached(`process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);`));
    await Promise.all(stubborn.map(({ firstLine }) => firstLine));
    const exits = stubborn.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
    killAll(stubborn.map(({ child }) => child));
    await Promise.all(exits);
    expect(stubborn.map(({ child }) => child.signalCode)).toEqual(['SIGKILL', 'SIGKILL']);
  });
});
