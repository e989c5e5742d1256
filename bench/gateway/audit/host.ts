// Serves our gateway for one audit suite at a time, from one warm process: POST /start/<suite>
// fetches that suite's supergraph from the audit's subgraph server and starts our gateway
// (gateway/src, through its own start(env), with its defaults but for logs and the shop's cost
// limit) on the gateway port; POST /stop stops it. gateway.sh calls these for the audit's CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { start } from '@cloudmart/gateway/server';

type RunningGateway = Awaited<ReturnType<typeof start>>;

export interface GatewayHost {
  url: string;
  close(): Promise<void>;
}

export async function startGatewayHost(options: {
  subgraphsUrl: string;
  gatewayPort: string;
}): Promise<GatewayHost> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'federation-audit-gateway-'));
  let running: RunningGateway | undefined;

  const stopGateway = async () => {
    const gateway = running;
    running = undefined;
    await gateway?.stop();
  };

  const startGateway = async (suite: string) => {
    await stopGateway();
    const response = await fetch(`${options.subgraphsUrl}/${encodeURIComponent(suite)}/supergraph`);
    if (!response.ok) throw new Error(`no supergraph for ${suite} (${response.status})`);
    // A folder of its own per suite: its supergraph and the gateway's local event log.
    const dataDir = mkdtempSync(path.join(workDir, `${suite}-data-`));
    const supergraphFile = path.join(dataDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, await response.text());
    running = await start({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: options.gatewayPort,
      DATA_DIR: dataDir,
      SUPERGRAPH_FILE: supergraphFile,
      // The shop's cost limit is its own policy, not federation semantics.
      MAX_OPERATION_COST: '1000000',
    });
  };

  const server: Server = createServer((request, response) => {
    const [, action, suite] = (request.url ?? '').split('/');
    const work =
      request.method === 'POST' && action === 'start' && suite
        ? startGateway(decodeURIComponent(suite))
        : request.method === 'POST' && action === 'stop'
          ? stopGateway()
          : Promise.reject(new Error(`unknown request ${request.method} ${request.url}`));
    work.then(
      () => response.writeHead(204).end(),
      (error: unknown) => {
        console.error(error);
        response.writeHead(500).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await stopGateway();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
