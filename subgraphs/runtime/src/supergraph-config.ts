import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { repoRoot } from './paths';

/**
 * supergraph.yaml, in rover's format, is the only list of subgraphs. Composition, codegen, the
 * local launcher, the gateway and the Kubernetes checks all read it through this module.
 */
const supergraphYamlSchema = z.object({
  federation_version: z.string(),
  subgraphs: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/),
    z.object({
      routing_url: z.string().url(),
      schema: z.object({ file: z.string() }),
    }),
  ),
});

export interface SubgraphEntry {
  name: string;
  routingUrl: string;
  /** Absolute path of the subgraph's schema.graphql. */
  schemaFile: string;
  /** Absolute path of the subgraph's package folder (where schema.graphql sits). */
  packageDir: string;
  /** The port in routing_url, which the launcher gives the subgraph locally. */
  port: number;
}

export interface SupergraphConfig {
  federationVersion: string;
  subgraphs: SubgraphEntry[];
}

export function readSupergraphConfig(file = path.join(repoRoot, 'supergraph.yaml')): SupergraphConfig {
  const parsed = supergraphYamlSchema.parse(parse(readFileSync(file, 'utf8')));
  const base = path.dirname(file);
  return {
    federationVersion: parsed.federation_version,
    subgraphs: Object.entries(parsed.subgraphs).map(([name, entry]) => {
      const url = new URL(entry.routing_url);
      const schemaFile = path.resolve(base, entry.schema.file);
      return {
        name,
        routingUrl: entry.routing_url,
        schemaFile,
        packageDir: path.dirname(schemaFile),
        port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      };
    }),
  };
}

/** The environment variable that overrides a subgraph's routing URL, e.g. SUBGRAPH_USERS_URL. */
export const subgraphUrlVariable = (name: string) => `SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`;

/**
 * Where another subgraph answers, for a service that calls it directly (orders → payments' internal
 * API, support → orders, notifications → users): its SUBGRAPH_<NAME>_URL, else supergraph.yaml's
 * routing URL (local runs, as the gateway does). `base` drops the /graphql path, for internal HTTP APIs.
 */
export function subgraphUrl(name: string, env: NodeJS.ProcessEnv, { base = false } = {}): string {
  const url =
    env[subgraphUrlVariable(name)] ||
    readSupergraphConfig().subgraphs.find((subgraph) => subgraph.name === name)?.routingUrl;
  if (!url) throw new Error(`${subgraphUrlVariable(name)} is not set and supergraph.yaml lists no ${name} subgraph`);
  return base ? url.replace(/\/graphql\/?$/, '') : url;
}
