import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorRequestHandler, Express, Request } from 'express';
import type { Logger } from './logger';
import { processWatchdog, type EventLoopWatchdog } from './event-loop-watchdog';

/** Request ids come from the gateway (or any caller) and are made up when missing. */
export function requestIdOf(req: Request): string {
  const header = req.headers['x-request-id'];
  const id = Array.isArray(header) ? header[0] : header;
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : randomUUID();
}

const READINESS_TIMEOUT_MS = 3_000;

/**
 * `/health` says the process is alive; `/ready` that it can serve (its stores answer within a
 * deadline: a store that hangs makes the service unready rather than hanging the probe).
 */
export function addProbes(
  app: Express,
  readiness: () => Promise<void>,
  log: Logger,
  watchdog: EventLoopWatchdog = processWatchdog,
): void {
  watchdog.start();
  // Liveness: a process whose event loop stalls (a request that never yields, say) is of no use
  // and must be replaced. Blocked now, this cannot answer and the probe times out; blocked
  // recently (EVENT_LOOP_MAX_BLOCK_MS), it answers 503 for EVENT_LOOP_BLOCK_HOLD_MS.
  app.get('/health', (_req, res) => {
    const block = watchdog.lastBlock();
    if (block) {
      res.status(503).json({ status: 'blocked', ...block });
      return;
    }
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    // Started by one of our launchers: the answer says which process it is, so the launcher never
    // takes another process that holds the same port (a reused free port) for its own.
    if (process.env.CLOUDMART_INSTANCE) res.set('x-cloudmart-instance', process.env.CLOUDMART_INSTANCE);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        readiness(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('readiness check timed out')), READINESS_TIMEOUT_MS);
        }),
      ]);
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * Errors raised before GraphQL runs (a body over the size limit, malformed JSON) answered as a
 * GraphQL-shaped JSON error with a code, instead of express's HTML page with a stack trace.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
    const status =
      typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'unexpected HTTP error');
    const message =
      error.type === 'entity.too.large'
        ? 'The request body is too large.'
        : status === 500
          ? 'Internal server error'
          : 'The request body is not valid JSON.';
    const code =
      status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
