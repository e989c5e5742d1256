import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { start as startOurGateway } from '@cloudmart/gateway/server';
import { serveSubgraph, type ServedSubgraph } from './serve-subgraph';
import type { CompatCase } from './case';

export interface GatewayResponse {
  status: number;
  body: unknown;
}

export interface RunningCase {
  /** Posts one operation to stock @apollo/gateway and to ours, in that order. */
  both(
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ): Promise<{ stock: GatewayResponse; ours: GatewayResponse }>;
  /** Posts one operation `times` times at once to our gateway (what in-flight deduplication sees). */
  oursConcurrently(
    query: string,
    variables: Record<string, unknown> | undefined,
    times: number,
    operationName?: string,
  ): Promise<GatewayResponse[]>;
  stop(): Promise<void>;
}

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
): Promise<GatewayResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Serves a case's subgraphs over HTTP, composes them with @apollo/composition, and starts stock
 * @apollo/gateway (in Apollo Server, defaults) and our gateway (gateway/src, via its own start(env)
 * with SUPERGRAPH_FILE pointing at the composition, plus `env`) in this process.
 */
export async function startCase(
  compatCase: CompatCase,
  /** Extra environment for our gateway (e.g. SUBGRAPH_DEDUP=false). */
  env: NodeJS.ProcessEnv = {},
): Promise<RunningCase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `compat-${compatCase.name}-`));
  const subgraphs: ServedSubgraph[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne();
    await Promise.all(subgraphs.map((subgraph) => subgraph.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const services = [];
    for (const { name, typeDefs, resolvers } of compatCase.subgraphs) {
      const served = await serveSubgraph(buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }));
      subgraphs.push(served);
      services.push({ name, url: served.url, typeDefs: parse(typeDefs) });
    }
    const composition = composeServices(services);
    if (composition.errors) {
      throw new Error(`${compatCase.name} does not compose:\n${composition.errors.map(String).join('\n')}`);
    }
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    writeFileSync(supergraphFile, composition.supergraphSdl);

    const stock = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: composition.supergraphSdl }),
    });
    const { url: stockUrl } = await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } });
    stops.push(() => stock.stop());

    const ours = await startOurGateway({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dir,
      SUPERGRAPH_FILE: supergraphFile,
      // Demand control is the shop's policy, tested on its own (gateway/test/security); these
      // cases compare federation semantics, and the bench's nested query is estimated above it.
      MAX_OPERATION_COST: '1000000',
      ...env,
    });
    stops.push(() => ours.stop());

    return {
      async both(query, variables, operationName) {
        const stockResponse = await post(stockUrl, query, variables, operationName);
        const ourResponse = await post(ours.url, query, variables, operationName);
        return { stock: stockResponse, ours: ourResponse };
      },
      oursConcurrently: (query, variables, times, operationName) =>
        Promise.all(Array.from({ length: times }, () => post(ours.url, query, variables, operationName))),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
