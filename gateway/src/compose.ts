import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSupergraphConfig, repoRoot, type SupergraphConfig } from '@cloudmart/runtime';

/** The composed supergraph the gateway serves; checked in, and tested to be current. */
export const supergraphFile = path.join(repoRoot, 'gateway', 'supergraph.graphql');

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; hints: string[] }
  | { ok: false; errors: string[] };

/**
 * Composes the subgraphs that supergraph.yaml lists, from their checked-in schema files,
 * with @apollo/composition: the same composition rover performs.
 */
export function composeSupergraph(config: SupergraphConfig = readSupergraphConfig()): CompositionOutcome {
  const services = config.subgraphs.map(({ name, routingUrl, schemaFile }) => ({
    name,
    url: routingUrl,
    typeDefs: parse(readFileSync(schemaFile, 'utf8'), { noLocation: false }),
  }));
  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((error) => {
        const code = error.extensions?.code ? `[${String(error.extensions.code)}] ` : '';
        return `${code}${error.message}`;
      }),
    };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}

/** Composes and writes the supergraph file; returns the outcome for the caller to report. */
export function writeSupergraph(file = supergraphFile): CompositionOutcome {
  const outcome = composeSupergraph();
  if (outcome.ok) writeFileSync(file, outcome.supergraphSdl);
  return outcome;
}
