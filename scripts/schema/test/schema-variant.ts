import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { readSupergraphConfig } from '@cloudmart/runtime';

/**
 * A copy of every subgraph schema in `dir` with `edit` applied to the products schema, and a
 * supergraph.yaml listing the copies: a proposed schema change, built without touching the real
 * files. Returns the supergraph.yaml's path.
 */
export function productsSchemaVariant(dir: string, edit: (products: string) => string = (sdl) => sdl): string {
  const config = readSupergraphConfig();
  mkdirSync(dir, { recursive: true });
  const subgraphs: Record<string, { routing_url: string; schema: { file: string } }> = {};
  for (const subgraph of config.subgraphs) {
    const file = path.join(dir, `${subgraph.name}.graphql`);
    if (subgraph.name === 'products') writeFileSync(file, edit(readFileSync(subgraph.schemaFile, 'utf8')));
    else copyFileSync(subgraph.schemaFile, file);
    subgraphs[subgraph.name] = { routing_url: subgraph.routingUrl, schema: { file: `./${subgraph.name}.graphql` } };
  }
  const yaml = path.join(dir, 'supergraph.yaml');
  writeFileSync(yaml, stringify({ federation_version: config.federationVersion, subgraphs }));
  return yaml;
}

/** Replaces exactly one occurrence: an edit whose target has moved fails loudly instead of doing nothing. */
export function replaceOnce(sdl: string, from: string, to: string): string {
  const parts = sdl.split(from);
  if (parts.length !== 2) throw new Error(`expected exactly one ${JSON.stringify(from)}, found ${parts.length - 1}`);
  return parts.join(to);
}
