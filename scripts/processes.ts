// How the local launcher (scripts/start.ts) stops what it started. A service whose event loop no
// longer turns cannot run its SIGTERM handler, so a polite stop alone would wait for ever: after a
// grace period its whole process group gets SIGKILL (services are spawned detached, each the
// leader of its own group, so anything they started goes too).
import type { ChildProcess } from 'node:child_process';

/** True while `child` has not exited. */
export const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // not a group leader, or already gone
  }
}

/**
 * SIGTERM, then SIGKILL to the child's process group if it has not exited within `graceMs`.
 * Resolves once it has exited; `onKilled` is called when it had to be killed.
 */
export async function stopChild(child: ChildProcess, graceMs: number, onKilled?: () => void): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => {
    if (!isRunning(child)) return;
    onKilled?.();
    killGroup(child);
  }, graceMs);
  await exited;
  clearTimeout(killer);
}

/** SIGKILL to every child's process group at once (a second Ctrl-C). */
export function killAll(children: ChildProcess[]): void {
  for (const child of children) if (isRunning(child)) killGroup(child);
}
