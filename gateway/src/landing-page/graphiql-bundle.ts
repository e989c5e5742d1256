import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(__filename);

// GraphiQL, React and esbuild are development dependencies of the gateway: production images run
// with the landing page disabled and carry none of them, so they are loaded only when a development
// gateway first serves the explorer, never at import.

/** GraphiQL's stylesheet as the graphiql package ships it (fonts and images inlined as data: URLs). */
export const graphiqlStylesheet = (): string => require.resolve('graphiql/style.css');

/**
 * The browser entry: GraphiQL over the page's own endpoint. React is the web client's (the same
 * pinned version, one copy in node_modules). The endpoint is read from the page, not written into
 * the script, so the script stays the same for every URL the gateway is reached at.
 */
const entry = `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

const target = document.getElementById('explorer');
const fetcher = createGraphiQLFetcher({ url: target.dataset.endpoint });
createRoot(target).render(createElement(GraphiQL, { fetcher }));
`;

/**
 * GraphiQL 4 as one browser script, bundled by esbuild from node_modules the first time it is asked
 * for (about a second; development only, so production images never build it) and kept in memory.
 * GraphiQL 5 needs Monaco's web workers as separate bundles; 4 (CodeMirror) is one script.
 */
export function graphiqlScript(): Promise<string> {
  bundled ??= import('esbuild').then(({ build }) => build({
    stdin: { contents: entry, resolveDir: path.dirname(require.resolve('graphiql/package.json')), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })).then(
    (result) => result.outputFiles[0]!.text,
    (error: unknown) => {
      bundled = undefined; // the next request tries again
      throw error;
    },
  );
  return bundled;
}

let bundled: Promise<string> | undefined;
