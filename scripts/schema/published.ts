import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { repoRoot } from '@cloudmart/runtime';

/**
 * The published schemas, kept in the repository (the offline stand-in for a schema registry):
 * - `api.graphql`: the API schema clients were last promised, what `schema:check` compares with;
 * - `partner-contract.graphql`: the partner contract cut from it, what partners are handed;
 * - `history/<UTC timestamp>-<first 12 hex of its SHA-256>.graphql`: every API schema published.
 */
export const defaultPublishedDir = path.join(repoRoot, 'gateway', 'published');

export const publishedFiles = (dir: string) => ({
  api: path.join(dir, 'api.graphql'),
  contract: path.join(dir, 'partner-contract.graphql'),
  history: path.join(dir, 'history'),
});

/** The last published API schema, or undefined before the first publish. */
export function readPublishedApiSchema(dir: string): { sdl: string; schema: GraphQLSchema } | undefined {
  const { api } = publishedFiles(dir);
  if (!existsSync(api)) return undefined;
  const sdl = readFileSync(api, 'utf8');
  return { sdl, schema: buildSchema(sdl) };
}

const writeAtomically = (file: string, text: string) => {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
};

/**
 * Publishes an API schema and its partner contract. Returns the history file written, or
 * undefined when the API schema is the one already published (nothing is written then).
 */
export function publish(dir: string, apiSdl: string, contractSdl: string, now = new Date()): string | undefined {
  const files = publishedFiles(dir);
  const unchanged = existsSync(files.api) && readFileSync(files.api, 'utf8') === apiSdl;
  mkdirSync(files.history, { recursive: true });
  writeAtomically(files.contract, contractSdl);
  if (unchanged) return undefined;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const digest = createHash('sha256').update(apiSdl).digest('hex').slice(0, 12);
  const historyFile = path.join(files.history, `${stamp}-${digest}.graphql`);
  writeAtomically(historyFile, apiSdl);
  writeAtomically(files.api, apiSdl);
  return historyFile;
}

/** A path as reports show it: relative to the repository when inside it. */
export const displayPath = (file: string) =>
  file.startsWith(`${repoRoot}${path.sep}`) ? path.relative(repoRoot, file) : file;

/** The history, oldest first (the names sort by time). */
export const publishedHistory = (dir: string): string[] => {
  const { history } = publishedFiles(dir);
  return existsSync(history) ? readdirSync(history).filter((name) => name.endsWith('.graphql')).sort() : [];
};
