// The four bench subgraphs in one process (the harness pins it to the load generator's core).
// Prints {"urls": {name: url}} on its first stdout line; over IPC it answers {type: 'calls'}
// with the GraphQL requests each subgraph has answered, so the harness can count subgraph calls
// per gateway response.
import { benchSubgraphs } from './index';
import { serveSubgraph, type ServedSubgraph } from '@cloudmart/test-kit/serve-subgraph';

async function main() {
  const portBase = Number(process.env.BENCH_SUBGRAPH_PORT_BASE ?? 0);
  const served: Record<string, ServedSubgraph> = {};
  for (const [index, subgraph] of benchSubgraphs.entries()) {
    served[subgraph.name] = await serveSubgraph(subgraph.schema, portBase ? portBase + index : 0);
  }
  const urls = Object.fromEntries(Object.entries(served).map(([name, server]) => [name, server.url]));
  process.stdout.write(`${JSON.stringify({ urls })}\n`);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'calls') {
      const calls = Object.fromEntries(
        Object.entries(served).map(([name, server]) => [name, server.calls()]),
      );
      process.send?.({ type: 'calls', calls });
    }
  });
  const stop = () => {
    void Promise.all(Object.values(served).map((server) => server.close())).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
