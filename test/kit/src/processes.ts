import { readFileSync } from 'node:fs';

/** Whether process `pid` still runs (Linux): a zombie, exited but not yet reaped, does not. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0: read its state.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
