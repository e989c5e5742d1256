// The development explorer offline (issue 24): with Apollo's CDN unreachable (it is on the
// machines this project is built on; the route makes it explicit), GET /graphql in a browser
// falls back to the GraphiQL the gateway bundles from npm and serves itself, which runs
// `{ __typename }` and shows the answer. Nothing is fetched from anywhere but the gateway, and the
// page's self-only CSP is never violated.
import { start as startGateway } from '@cloudmart/gateway/server';
import type { RunningServer } from '@cloudmart/runtime';
import { makeTempDir } from '@cloudmart/test-kit';
import { launchChromium, screenshot, type RunningBrowser } from '@cloudmart/test-kit/browser';

const APOLLO_CDN = 'https://embeddable-sandbox.cdn.apollographql.com/';

describe('the development explorer without internet', () => {
  const temp = makeTempDir('explorer');
  let gateway: RunningServer;
  let browser: RunningBrowser;

  beforeAll(async () => {
    // The gateway alone: `{ __typename }` is answered without a subgraph.
    gateway = await startGateway({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: temp.dir, PORT: '0' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    temp.remove();
  });

  it('shows GraphiQL from the gateway when Apollo Sandbox cannot load, and runs { __typename }', async () => {
    const page = await browser.context.newPage();
    const blocked: string[] = [];
    await page.route(`${APOLLO_CDN}**`, (route) => {
      blocked.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(new URL(gateway.url).origin) && !url.startsWith(APOLLO_CDN) && !url.startsWith('data:')) {
        elsewhere.push(url);
      }
    });
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });

    const response = await page.goto(gateway.url);
    expect(response?.headers()['content-type']).toContain('text/html');
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 60_000 }); // the first request bundles GraphiQL
    expect(blocked).toEqual([expect.stringContaining('embeddable-sandbox.umd.production.min.js')]);

    await editor.evaluate((element, query) => {
      (element as unknown as { CodeMirror: { setValue(text: string): void } }).CodeMirror.setValue(query);
    }, '{ __typename }');
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response .CodeMirror');
    try {
      await result.getByText('"Query"').waitFor({ timeout: 60_000 });
    } catch (error) {
      await screenshot(page, 'explorer-graphiql-offline-failed'); // what the page showed instead
      throw error;
    }
    const shown = await result.evaluate(
      (element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    );
    expect(JSON.parse(shown)).toEqual({ data: { __typename: 'Query' } });
    await screenshot(page, 'explorer-graphiql-offline');

    expect(elsewhere).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('with LANDING_PAGE=graphiql, shows GraphiQL without asking Apollo\'s CDN at all', async () => {
    const graphiqlOnly = await startGateway({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: temp.dir,
      PORT: '0',
      LANDING_PAGE: 'graphiql',
    });
    try {
      const page = await browser.context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(graphiqlOnly.url);
      await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 60_000 });
      const origin = new URL(graphiqlOnly.url).origin;
      expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    } finally {
      await graphiqlOnly.stop();
    }
  });
});
