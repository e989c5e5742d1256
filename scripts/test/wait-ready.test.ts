// The launchers' readiness wait (scripts/cluster.ts): a port found free can be taken by another
// process before the service binds it. That process's "ready" must not pass for the service's,
// which meanwhile dies of EADDRINUSE: only an answer carrying the instance the service was
// started with counts (the runtime's /ready echoes CLOUDMART_INSTANCE).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { waitReady } from '@cloudmart/scripts/cluster';
import { listenOnLoopback } from '@cloudmart/test-kit';

describe('waitReady', () => {
  /** A server answering /ready 200, with `instance` in its header when given. */
  async function readyServer(instance?: string) {
    const server = http.createServer((_req, res) => {
      if (instance) res.setHeader('x-cloudmart-instance', instance);
      res.end('{"status":"ready"}');
    });
    return listenOnLoopback(server);
  }
  const child = (script: string) => spawn(process.execPath, ['-e', script], { stdio: 'ignore' });

  it("does not take another process's answer on the port for the service's", async () => {
    const foreign = await readyServer();
    // The service, unable to bind the port, exits soon after starting.
    const service = child('setTimeout(() => process.exit(7), 300)');
    try {
      await expect(waitReady(`http://127.0.0.1:${foreign.port}/ready`, service, 'gateway-b', 'gateway-b.log', 'instance-1')).rejects.toThrow(
        'gateway-b exited during start-up (7)',
      );
    } finally {
      await foreign.close();
    }
  });

  it('resolves on the answer that names the instance', async () => {
    const own = await readyServer('instance-2');
    const service = child('setTimeout(() => {}, 10_000)');
    try {
      await expect(waitReady(`http://127.0.0.1:${own.port}/ready`, service, 'products', 'products.log', 'instance-2')).resolves.toBeUndefined();
    } finally {
      service.kill();
      await own.close();
    }
  });
});
