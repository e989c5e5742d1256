import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test server listening on 127.0.0.1, and how to stop it. */
export interface LoopbackListener {
  port: number;
  /** Closes its connections, idle keep-alive ones included, then the server. */
  close(): Promise<void>;
}

/** Starts `server` listening on 127.0.0.1 (port 0: any free one). */
export async function listenOnLoopback(server: Server, port = 0): Promise<LoopbackListener> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
