import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Reads a subgraph's schema.graphql (SDL-first: the file is the schema). */
export function loadTypeDefs(file: string): DocumentNode {
  return parse(readFileSync(file, 'utf8'));
}
