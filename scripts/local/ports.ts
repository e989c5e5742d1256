import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now, for a server a test starts outside Node (redis, postgres, a broker). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
