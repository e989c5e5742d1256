import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { benchSubgraphs } from './subgraphs';

/** The checked-in composition, with each subgraph at 127.0.0.1:4201+index (for reading and the tests). */
export const benchSupergraphFile = path.join(__dirname, 'supergraph.graphql');

export const defaultSubgraphUrls = (portBase = 4201): Record<string, string> =>
  Object.fromEntries(
    benchSubgraphs.map(({ name }, index) => [name, `http://127.0.0.1:${portBase + index}/graphql`]),
  );

/** Composes the bench subgraphs with @apollo/composition, routing each to the given URL. */
export function composeBenchSupergraph(urls: Record<string, string> = defaultSubgraphUrls()): string {
  const result = composeServices(
    benchSubgraphs.map(({ name, typeDefs }) => ({ name, url: urls[name], typeDefs: parse(typeDefs) })),
  );
  if (result.errors)
    throw new Error(`bench supergraph does not compose:\n${result.errors.map(String).join('\n')}`);
  return result.supergraphSdl;
}

export const readCheckedInSupergraph = () => readFileSync(benchSupergraphFile, 'utf8');

// `node --import tsx bench/gateway/supergraph.ts` rewrites the checked-in file.
if (require.main === module) {
  writeFileSync(benchSupergraphFile, composeBenchSupergraph());
  console.log(`wrote ${path.relative(process.cwd(), benchSupergraphFile)}`);
}
