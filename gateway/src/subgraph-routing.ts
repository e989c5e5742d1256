import { ConfigError, subgraphUrlVariable } from '@cloudmart/runtime';
import { z } from 'zod';

/**
 * Where each subgraph is reached: the routing URL composed into the supergraph, unless
 * SUBGRAPH_<NAME>_URL overrides it (as Kubernetes does with in-cluster service names).
 */
export function subgraphUrl(name: string, composedUrl: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = env[subgraphUrlVariable(name)] ?? composedUrl;
  if (!url) throw new Error(`No URL for subgraph ${name}: set ${subgraphUrlVariable(name)}`);
  return url;
}

/** How long one fetch to subgraph `name` may take: SUBGRAPH_<NAME>_TIMEOUT_MS, else SUBGRAPH_TIMEOUT_MS. */
export function subgraphTimeoutMs(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const variable = subgraphUrlVariable(name).replace(/_URL$/, '_TIMEOUT_MS');
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const parsed = z.coerce.number().int().positive().safeParse(value);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n  ${variable}: expected a positive integer of milliseconds (got ${JSON.stringify(value)})`,
    );
  return parsed.data;
}

/** The subgraphs a composed supergraph routes to: its `join__Graph` values, name and URL. */
export function subgraphsOf(supergraphSdl: string): { name: string; routingUrl: string }[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)].map((match) => ({
    name: match[1]!,
    routingUrl: match[2]!,
  }));
}

/**
 * The gateway's readiness: every subgraph of the supergraph it serves (wherever SUPERGRAPH_FILE
 * points) answers its own readiness probe.
 */
export function subgraphsReady(supergraphSdl: string, env: NodeJS.ProcessEnv): () => Promise<void> {
  const subgraphs = subgraphsOf(supergraphSdl);
  return async () => {
    await Promise.all(
      subgraphs.map(async ({ name, routingUrl }) => {
        const url = new URL('/ready', subgraphUrl(name, routingUrl, env));
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) throw new Error(`subgraph ${name} is not ready (${response.status})`);
      }),
    );
  };
}
