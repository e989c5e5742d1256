import http from 'node:http';
import express from 'express';
import { createLogger } from '../src/logger';
import { addProbes, listen } from '../src/server';

describe('health and readiness probes', () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  async function serve(readiness: () => Promise<void>) {
    const app = express();
    addProbes(app, readiness, createLogger('probe-test', 'silent'));
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
});
