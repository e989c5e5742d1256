// Stock @apollo/gateway in @apollo/server with their defaults, over the bench supergraph.
// Started by the harness as a child process: BENCH_SUPERGRAPH_FILE, BENCH_PORT; prints
// "READY <url>" once it serves.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

async function main() {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH_FILE!, 'utf8'),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' },
  });
  process.stdout.write(`READY ${url}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
