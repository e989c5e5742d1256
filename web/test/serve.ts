// The built web app (web/dist) as production would serve it: static files, index.html for
// client-side routes, and /graphql proxied to a gateway — WebSocket upgrades included. On a free port,
// or on `port` when the origin must be known before the server starts (another server's CORS rules).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface WebServer {
  url: string;
  stop(): Promise<void>;
}

function rawHeaders(req: IncomingMessage): string {
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export async function serveWeb(
  distDir: string,
  gatewayUrl: string,
  { port = 0 }: { port?: number } = {},
): Promise<WebServer> {
  const gateway = new URL(gatewayUrl);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') {
      const upstream = request(
        {
          host: gateway.hostname,
          port: gateway.port,
          path: `${gateway.pathname}${url.search}`,
          method: req.method,
          headers: { ...req.headers, host: gateway.host },
        },
        (response) => {
          res.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    const file = path.join(
      distDir,
      path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''),
    );
    const target =
      file.startsWith(distDir) && existsSync(file) && statSync(file).isFile()
        ? file
        : path.join(distDir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  });
  const tunnels = new Set<{ destroy(): void }>();
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/graphql')) return socket.destroy();
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    const upstream = connect(Number(gateway.port), gateway.hostname, () => {
      upstream.write(rawHeaders(req));
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const tunnel of tunnels) tunnel.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
