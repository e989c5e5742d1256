// Processes on this machine, from /proc (Linux): for tests of what launchers start and stop, and
// for the workers' shared subgraphs.
import { readdirSync, readFileSync } from 'node:fs';

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

/** Every process below `pid`. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const visit = (id: number) => (parents.get(id) ?? []).forEach((child) => (found.push(child), visit(child)));
  visit(pid);
  return found;
}

/** A process's command line, its arguments joined by spaces ('' once it has ended). */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
