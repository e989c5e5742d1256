import http from 'node:http';
import express from 'express';
import { createLogger } from '../src/logger';
import { addProbes, listen } from '../src/http';
import { EventLoopWatchdog } from '../src/event-loop-watchdog';
import { Worker } from 'node:worker_threads';

describe('health and readiness probes', () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  async function serve(readiness: () => Promise<void>, watchdog?: EventLoopWatchdog) {
    const app = express();
    addProbes(app, readiness, createLogger('probe-test', 'silent'), watchdog);
    const server = http.createServer(app);
    servers.push(server);
    return `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  }

  it('is ready when the check passes, unavailable when it fails or hangs, and always alive', async () => {
    const ok = await serve(async () => {});
    const failing = await serve(async () => {
      throw new Error('database down');
    });
    const hanging = await serve(() => new Promise(() => {}));
    expect((await fetch(`${ok}/ready`)).status).toBe(200);
    expect((await fetch(`${failing}/ready`)).status).toBe(503);
    expect((await fetch(`${hanging}/ready`)).status).toBe(503);
    expect((await fetch(`${hanging}/health`)).status).toBe(200);
  });

  it('fails liveness while the event loop is held blocked and for the hold window after, then passes again', async () => {
    const watchdog = new EventLoopWatchdog({ maxBlockMs: 200, holdMs: 1_500, intervalMs: 20 });
    const url = await serve(async () => {}, watchdog);
    // The prober runs on its own thread (its own event loop), as the kubelet would from outside.
    const prober = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
      const timeline = [];
      let stop = false;
      let probing = false;
      parentPort.on('message', () => { stop = true; });
      (async () => {
        while (!stop) {
          const at = Date.now();
          let result;
          try {
            const response = await fetch(workerData.url, { signal: AbortSignal.timeout(300) });
            result = response.status;
          } catch { result = 'timeout'; }
          timeline.push({ at, result });
          // Probing once it has had an answer: a first fetch on a loaded machine may take longer than 300 ms.
          if (result === 200 && !probing) {
            probing = true;
            parentPort.postMessage({ type: 'probing' });
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        parentPort.postMessage({ type: 'timeline', timeline });
      })();`,
      { eval: true, workerData: { url: `${url}/health` } },
    );
    const messages: { type: string; timeline?: { at: number; result: number | string }[] }[] = [];
    prober.on('message', (message: (typeof messages)[number]) => messages.push(message));
    const next = (type: string) =>
      new Promise<(typeof messages)[number]>((resolve) => {
        const check = () => {
          const found = messages.find((message) => message.type === type);
          if (found) resolve(found);
          else setTimeout(check, 10);
        };
        check();
      });
    await next('probing');
    expect((await fetch(`${url}/health`)).status).toBe(200);

    // Hold this thread's event loop (the server's) for 2 s, as a request that never yields would.
    const blockedFrom = Date.now();
    while (Date.now() - blockedFrom < 2_000) {
      // busy
    }
    const blockedUntil = Date.now();

    // Within the hold window the probe answers 503 with the block's length.
    const during = await fetch(`${url}/health`);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual(expect.objectContaining({ status: 'blocked', blockedMs: expect.any(Number) }));
    // After it, healthy again.
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await fetch(`${url}/health`)).status).toBe(200);

    prober.postMessage('stop');
    const { timeline } = await next('timeline');
    await prober.terminate();
    // While the loop was blocked, probes from outside got no answer at all: they failed.
    const whileBlocked = timeline!.filter((probe) => probe.at > blockedFrom + 400 && probe.at < blockedUntil - 400);
    expect(whileBlocked.length).toBeGreaterThan(0);
    expect(new Set(whileBlocked.map((probe) => probe.result))).toEqual(new Set(['timeout']));
    // Right after it, they were answered 503; before it and at the end, 200.
    expect(timeline!.filter((probe) => probe.at >= blockedUntil).map((probe) => probe.result)).toContain(503);
    // (Answered probes: on a loaded machine any one probe may miss its 300 ms.)
    const answered = timeline!.filter((probe) => probe.result !== 'timeout');
    expect(answered[0]!.result).toBe(200);
    expect(answered[answered.length - 1]!.result).toBe(200);
  });
});
