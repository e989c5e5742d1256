import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@cloudmart/runtime';

/**
 * Multi-process mode (GATEWAY_WORKERS > 1, docs/performance.md): this process becomes a node:cluster
 * primary that serves nothing itself and runs `count` gateway workers, each a whole gateway
 * (`src/index.ts` again, as a worker) sharing the listening port; the primary hands out incoming
 * connections round-robin. A WebSocket or multipart subscription stays on the worker that accepted
 * its connection, and every worker follows the event bus in a consumer group of its own, so
 * subscriptions work on every worker as they do on separate replicas.
 *
 * A worker that dies is replaced. A worker that dies before it ever listened (bad configuration,
 * a subgraph schema it cannot load) would die again: the primary then exits with its code.
 * SIGTERM/SIGINT are passed to the workers, which drain as a single gateway does; the primary
 * exits once they all have.
 */
export function runWorkers(count: number, log: Logger): void {
  let stopping = false;
  const listening = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker));
  };
  for (let index = 0; index < count; index += 1) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!listening.has(worker)) {
      log.fatal({ pid: worker.process.pid, code, signal }, 'a gateway worker failed to start');
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exit(typeof code === 'number' && code !== 0 ? code : 1);
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a gateway worker exited; starting another');
    fork();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: count }, 'stopping the gateway workers');
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill(signal);
    // Workers give themselves 10 s to drain (runMain); do not wait forever on one that hangs.
    setTimeout(() => process.exit(1), 12_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by the local launcher over IPC: if it dies, stop as a single gateway would.
  if (process.send) process.on('disconnect', () => shutdown('SIGTERM'));
  log.info({ workers: count }, 'gateway primary started its workers');
}
