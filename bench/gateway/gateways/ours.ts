// Our gateway (gateway/src) over the bench supergraph, started through its own `start(env)`
// with environment variables only: SUPERGRAPH_FILE points at the bench composition (whose routing
// URLs are the bench subgraphs), DATA_DIR at a temporary folder (the local event log). The harness
// runs it with NODE_ENV=production, JWT_PUBLIC_KEY and PARTNER_KEY_PEPPER set. Prints
// "READY <url>" once it serves.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from '@cloudmart/gateway/server';

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-'));
  const gateway = await start({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: process.env.BENCH_PORT ?? '0',
    DATA_DIR: dataDir,
    SUPERGRAPH_FILE: process.env.BENCH_SUPERGRAPH_FILE!,
    // The nested bench query is estimated above the default cost limit; the limit is a policy
    // for the shop's own graph, not part of what is measured here.
    MAX_OPERATION_COST: process.env.MAX_OPERATION_COST ?? '1000000',
  });
  process.stdout.write(`READY ${gateway.url}\n`);
  const stop = () =>
    void gateway.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
