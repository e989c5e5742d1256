import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import express, { type RequestHandler } from 'express';
import type { Logger } from '@cloudmart/runtime';
import { graphiqlScript, graphiqlStylesheet } from './graphiql-bundle';

/** Where the explorer's own files are served, beside /graphql. */
export const EXPLORER_ASSETS_PATH = '/graphql-explorer';

export type LandingPageMode = 'auto' | 'sandbox' | 'graphiql';

const SANDBOX_SCRIPT = 'https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js';
/** How long the page waits for Apollo's CDN before it shows GraphiQL instead. */
const SANDBOX_TIMEOUT_MS = 4_000;

/**
 * Picks the explorer in the browser, since only the browser knows what it can reach: `auto` loads
 * Apollo Sandbox's embed script and falls back to the bundled GraphiQL when the script fails or
 * does not arrive in time; `graphiql` goes straight to GraphiQL. A file of its own, so the page
 * needs no inline script and its CSP can say 'self'.
 */
const chooseExplorerScript = `(() => {
  const target = document.getElementById('explorer');
  target.dataset.endpoint = location.origin + location.pathname;
  const graphiql = () => {
    target.replaceChildren();
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = '${EXPLORER_ASSETS_PATH}/graphiql.css';
    document.head.append(style);
    const script = document.createElement('script');
    script.src = '${EXPLORER_ASSETS_PATH}/graphiql.js';
    document.body.append(script);
  };
  if (target.dataset.mode === 'graphiql') return graphiql();
  let settled = false;
  const fallBack = () => {
    if (settled) return;
    settled = true;
    console.info('Apollo Sandbox cannot be reached: showing the bundled GraphiQL');
    graphiql();
  };
  const timer = setTimeout(fallBack, ${SANDBOX_TIMEOUT_MS});
  const sandbox = document.createElement('script');
  sandbox.src = '${SANDBOX_SCRIPT}';
  sandbox.onerror = fallBack;
  sandbox.onload = () => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    target.replaceChildren();
    new window.EmbeddedSandbox({
      target: '#explorer',
      initialEndpoint: target.dataset.endpoint,
      initialState: { includeCookies: false },
      endpointIsEditable: false,
      hideCookieToggle: false,
    });
  };
  document.head.append(sandbox);
})();
`;

const pageStylesheet = `html, body, #explorer { height: 100%; margin: 0; }
#explorer > iframe { width: 100%; height: 100%; border: none; }
.loading { font: 16px system-ui, sans-serif; padding: 2rem; }
`;

/**
 * Only the gateway's own files; `auto` adds Apollo's CDN script and Sandbox's frame. Styles and
 * fonts come from GraphiQL's stylesheet (fonts inlined as data: URLs).
 */
const contentSecurityPolicy = (mode: LandingPageMode) =>
  [
    "default-src 'self'",
    `script-src 'self'${mode === 'auto' ? ' https://embeddable-sandbox.cdn.apollographql.com' : ''}`,
    `frame-src ${mode === 'auto' ? 'https://sandbox.embed.apollographql.com' : "'none'"}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

const page = (mode: LandingPageMode) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(mode)}">
<title>CloudMart GraphQL explorer</title>
<link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}/page.css">
</head>
<body>
<div id="explorer" data-mode="${mode}"><p class="loading">Loading the GraphQL explorer…</p></div>
<script src="${EXPLORER_ASSETS_PATH}/choose-explorer.js"></script>
</body>
</html>
`;

export interface DevelopmentLandingPage {
  /** Apollo Server's landing page plugin: what GET /graphql shows a browser. */
  plugin: ApolloServerPlugin;
  /** The explorer's files, mounted at EXPLORER_ASSETS_PATH. */
  assets: RequestHandler;
}

/**
 * The development explorer (issue 24): Apollo Sandbox when the browser reaches Apollo's CDN,
 * else GraphiQL bundled from npm and served by the gateway, so a machine without internet still
 * has one (LANDING_PAGE). Production keeps the landing page disabled.
 */
export function developmentLandingPage(mode: LandingPageMode, log: Logger): DevelopmentLandingPage {
  const assets = express.Router();
  assets.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-cache');
    next();
  });
  assets.get('/choose-explorer.js', (_req, res) => void res.type('text/javascript').send(chooseExplorerScript));
  assets.get('/page.css', (_req, res) => void res.type('text/css').send(pageStylesheet));
  assets.get('/graphiql.css', (_req, res) => res.sendFile(graphiqlStylesheet()));
  assets.get('/graphiql.js', (_req, res, next) => {
    graphiqlScript().then(
      (script) => void res.type('text/javascript').send(script),
      (error: unknown) => {
        log.error({ err: error }, 'GraphiQL could not be bundled');
        next(error);
      },
    );
  });
  const plugin: ApolloServerPlugin =
    mode === 'sandbox'
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : {
          async serverWillStart() {
            return {
              async renderLandingPage() {
                return { html: page(mode) };
              },
            };
          },
        };
  return { plugin, assets };
}
