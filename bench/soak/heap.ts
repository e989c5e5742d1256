// What a Node service keeps after a full garbage collection, asked through its inspector (the
// soak starts the services with --inspect on a loopback port: scripts/cluster.ts): the signal a leak raises. RSS
// sampled on its own follows V8's saw-tooth between collections, whose period (minutes, under the
// soak's load) is as long as the fault-free half of a ten-minute run; after a forced full
// collection, what remains is what the process holds.
import WebSocket from 'ws';

export interface AfterCollection {
  /** V8 heap in use right after the collection, bytes. */
  heapUsed: number;
}

/**
 * Forces a full collection (the DevTools protocol's HeapProfiler.collectGarbage) and reads the
 * heap in use after it (Runtime.getHeapUsage). Undefined when the process does not answer in time
 * (restarting, or stalled: the other invariants speak to that).
 */
export async function collectGarbage(inspectorUrl: string, timeoutMs = 15_000): Promise<AfterCollection | undefined> {
  const socket = new WebSocket(inspectorUrl);
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
  try {
    return await Promise.race([
      (async () => {
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
        await call('HeapProfiler.collectGarbage');
        const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
        return { heapUsed: usage.usedSize };
      })(),
      timeout,
    ]);
  } catch {
    return undefined;
  } finally {
    socket.terminate();
  }
}
