import http from 'node:http';
import type { RunningServer } from '@cloudmart/runtime';
import { listenOnLoopback } from './loopback';

/**
 * A pass-through HTTP proxy on 127.0.0.1 that calls `onGraphQLRequest` for every POST it
 * forwards. Probes (GET /ready, /health) pass through uncounted.
 */
export async function startCountingProxy(targetUrl: string, onGraphQLRequest: () => void): Promise<RunningServer> {
  const target = new URL(targetUrl);
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') onGraphQLRequest();
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}${target.pathname}`, port, stop: close };
}
