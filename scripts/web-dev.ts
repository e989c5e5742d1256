// The web client's Vite dev server, as `npm start` runs it (one supervised process like the
// services): http://localhost:WEB_PORT (3000), /graphql proxied to the gateway at GATEWAY_URL.
// Stops on SIGTERM/SIGINT, and when the launcher that started it goes away.
import path from 'node:path';
import { createServer } from 'vite';
import { repoRoot } from '@cloudmart/runtime';

const webDir = path.join(repoRoot, 'web');
const STOP_DEADLINE_MS = 5_000;

async function main() {
  const server = await createServer({
    root: webDir,
    configFile: path.join(webDir, 'vite.config.ts'),
    clearScreen: false,
    logLevel: 'warn',
  });
  await server.listen();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Vite's close waits for its file watcher and dependency optimizer; a stop must not hang on
    // them (the launcher, or a killed launcher's test, waits for this process to be gone).
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  if (process.send) process.on('disconnect', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
