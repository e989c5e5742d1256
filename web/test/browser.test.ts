// The shopper journey and the admin dashboard in a real browser (Debian's Chromium through
// playwright-core), against the whole test supergraph and the production build of the web app
// served as production would (static files + /graphql proxy, WebSocket included):
// sign up → search → product → add to cart → check out with tok_visa → the order page shows
// PAID and then, without a reload, the next status pushed by the orderUpdated subscription;
// an admin's dashboard draws the revenue chart with that sale in it, and its live sales panel
// shows the next checkout's window when it closes (liveSales subscription); an admin uploads a
// product image to the local S3 from the product page, and shoppers then get its WebP variants.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot, subgraphUrlVariable, type RunningServer } from '@cloudmart/runtime';
import {
  addToCart,
  bearer,
  checkout,
  freePort,
  localS3Env,
  makeTempDir,
  postGraphQL,
  signUp,
  startLocalS3,
  startTestSupergraph,
  type LocalS3,
  startMailDev,
  type LocalMailDev,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { launchChromium, screenshot, type RunningBrowser } from '@cloudmart/test-kit/browser';
import type { Locator, Page, Request } from 'playwright-core';
import { buildWeb, webDir } from './browser';
import { serveWeb, type WebServer } from './serve';

jest.setTimeout(240_000);

const MEDIA_BUCKET = 'cloudmart-media-test';
const media = makeTempDir('web-media');

let s3: LocalS3;
let mail: LocalMailDev;
let supergraph: TestSupergraph;
let web: WebServer;
let chromium: RunningBrowser;
let page: Page;

interface SentOperation {
  operationName?: string;
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}
const sent: SentOperation[] = [];

beforeAll(async () => {
  // The admin's browser uploads to the local S3, which must allow the web app's origin (CORS), and
  // the products service takes the S3's endpoint when it starts: so the web server's port first,
  // then the S3, then the supergraph, and the web server last, on that port.
  const webPort = await freePort();
  // Where the shopper's order emails go (the notifications service's SMTP).
  mail = await startMailDev();
  const [started] = await Promise.all([
    startLocalS3({
      directory: media.dir,
      buckets: [MEDIA_BUCKET],
      corsOrigins: [`http://127.0.0.1:${webPort}`],
    }).then((localS3) => {
      s3 = localS3;
      return startTestSupergraph({
        env: {
          SEED_DEMO_DATA: 'true',
          SEED_PRODUCT_COUNT: '60',
          SEED_ORDER_COUNT: '0',
          // Live sales windows of 3 s (1 s lateness) instead of a minute, for the live panel.
          SALES_WINDOW_MS: '3000',
          SALES_ALLOWED_LATENESS_MS: '1000',
          SMTP_URL: mail.smtpUrl,
          ...localS3Env(localS3, MEDIA_BUCKET),
        },
      });
    }),
    buildWeb(),
  ]);
  supergraph = started;
  web = await serveWeb(path.join(webDir, 'dist'), supergraph.gatewayUrl, { port: webPort });
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST')
      sent.push(request.postDataJSON() as SentOperation);
  });
});

afterAll(async () => {
  await chromium?.close();
  await web?.stop();
  await supergraph?.stop();
  await s3?.stop();
  await mail?.stop();
  media.remove();
});

async function adminToken(): Promise<string> {
  const response = await postGraphQL<{ logIn: { token: string } }>(
    supergraph.gatewayUrl,
    `mutation { logIn(email: "admin@cloudmart.local", password: "admin-password") { token } }`,
  );
  return response.data!.logIn.token;
}

describe('the web client in Chromium', () => {
  let orderNumber = '';
  let boughtProduct = '';

  it('takes a new shopper from sign-up to a paid order that updates live', async () => {
    // A product to look for, as a shopper would know it: by name.
    const catalog = await postGraphQL<{ products: { edges: { node: { id: string; name: string } }[] } }>(
      supergraph.gatewayUrl,
      `{ products(first: 1, filter: { inStock: true }, sort: PRICE_DESC) { edges { node { id name } } } }`,
    );
    const wanted = catalog.data!.products.edges[0]!.node;
    boughtProduct = wanted.name;

    await page.goto(`${web.url}/signup`);
    await page.getByLabel('Name').fill('Browser Shopper');
    await page.getByLabel('Email').fill(`shopper-${Date.now()}@example.com`);
    await page.getByLabel(/^Password/).fill('browser-password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: /Log out \(Browser Shopper\)/ }).waitFor();
    await page.getByRole('list', { name: 'Featured products' }).getByRole('listitem').first().waitFor();
    await screenshot(page, '01-home');
    // Keyboard first: the first Tab lands on the skip link; small screens get one column.
    await page.goto(web.url);
    await page.getByRole('heading', { name: 'Featured products' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '01b-home-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('searchbox', { name: 'Search products' }).fill(wanted.name);
    await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const result = page
      .getByRole('list', { name: 'Search results' })
      .getByRole('link', { name: wanted.name })
      .first();
    await result.waitFor();
    await screenshot(page, '02-search');
    await result.click();

    await page.getByRole('heading', { level: 1, name: wanted.name }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added to your cart.').waitFor();
    await page.getByLabel('Title').fill('Does what it says');
    await page.getByLabel('Review', { exact: true }).fill('Arrived quickly and works well.');
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByRole('heading', { name: 'Reviews (1)' }).waitFor();
    await page.getByText('Does what it says').waitFor();
    await screenshot(page, '03-product');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cart' }).click();
    await page.getByRole('cell', { name: wanted.name, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Check out' }).click();

    await page.getByLabel('Street address').fill('1 Browser Way');
    await page.getByLabel('City', { exact: true }).fill('Springfield');
    await page.getByLabel('Postal code').fill('12345');
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.getByRole('radio', { name: /1 Browser Way/ }).waitFor();
    await page.getByLabel('Test card').selectOption('tok_visa');
    await screenshot(page, '04-checkout');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/\/orders\/[^/]+$/);
    const status = page.getByTestId('order-status');
    await expectText(status, 'Paid');
    await page.getByTestId('live-state').getByText('Live').waitFor();
    orderNumber = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '').trim();
    await screenshot(page, '05-order-paid');

    // The page must change without a reload: a marker set on this window survives only then.
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).cloudmartMarker = 'same-page'));
    const orderId = page.url().split('/').pop()!;
    const moved = await postGraphQL(
      supergraph.gatewayUrl,
      `mutation($id: ID!) { updateOrderStatus(orderId: $id, status: FULFILLING) { status } }`,
      { id: orderId },
      bearer(await adminToken()),
    );
    expect(moved.errors).toBeUndefined();
    await expectText(status, 'Fulfilling');
    await page.getByRole('listitem').filter({ hasText: 'Fulfilling' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).cloudmartMarker)).toBe(
      'same-page',
    );
    await screenshot(page, '06-order-fulfilling');

    // The support chat looks the order up for its owner.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Help' }).click();
    await page.getByLabel('Your message').fill(`Where is my order ${orderNumber}?`);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('li.message.assistant').filter({ hasText: orderNumber }).waitFor();
    await screenshot(page, '06b-support');
  });

  it("lists the shopper's order email and takes a phone number for texts, refusing a bad one", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    // The confirmation of the order just paid, sent by email (to MailDev), reloaded until it is listed.
    const confirmation = page.getByRole('row').filter({ hasText: `Your order ${orderNumber} is confirmed` });
    for (let attempt = 0; ; attempt += 1) {
      await page.getByRole('heading', { name: 'Sent to you' }).waitFor(); // the list has loaded
      if ((await confirmation.count()) > 0) break;
      if (attempt > 60) throw new Error(`the confirmation of ${orderNumber} is not listed`);
      await page.waitForTimeout(500);
      await page.reload();
    }
    await expectText(confirmation.getByRole('cell').nth(1), 'Email');
    await expectText(confirmation.getByRole('cell').nth(2), 'Sent');

    await page.getByLabel('Also text me about my orders').check();
    await page.getByLabel('Mobile number').fill('555 0100');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'must start with + and the country code' }).waitFor();
    await page.getByLabel('Mobile number').fill('+44 20 7946 0958');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await page.getByLabel('Mobile number').inputValue()).toBe('+442079460958');
    await screenshot(page, '06c-notifications');
  });

  it('shows an admin the revenue chart drawn with that sale', async () => {
    expect(orderNumber).toMatch(/^CM-/);
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill('admin@cloudmart.local');
    await page.getByLabel('Password').fill('admin-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();

    // The sale reaches the warehouse through the order events; refresh until it is in.
    const total = page.getByTestId('revenue-total');
    await total.waitFor();
    for (let attempt = 0; attempt < 60 && !(await page.getByTestId('revenue-chart').isVisible()); attempt++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    const chart = page.getByTestId('revenue-chart');
    await chart.waitFor();
    expect(await total.textContent()).not.toMatch(/^\D*0[.,]00\D*$/);
    // A line drawn through the days of the period: an SVG path with a point per day.
    const line = chart.locator('path.recharts-line-curve');
    await line.waitFor();
    const d = (await line.getAttribute('d')) ?? '';
    expect(d.split(/[LC]/).length).toBeGreaterThan(10);
    await page.getByRole('heading', { name: 'Top products by revenue' }).waitFor();
    await screenshot(page, '07-admin-dashboard');

    // All orders: move the order along; the change arrives in the live events (orderEvents).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All orders' }).click();
    await page.getByLabel('Order number').fill(orderNumber);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText(`${orderNumber} (`).waitFor();
    const events = page.getByRole('region', { name: 'Live order events' }).getByRole('listitem');
    // The subscription starts with the page; a change made before the server has registered it is
    // not an event it owes us, so make changes until one arrives (at most two).
    for (const next of ['Shipped', 'Delivered']) {
      await page.getByLabel('New status').selectOption({ label: next });
      await page.getByRole('button', { name: 'Update' }).click();
      await page.getByText(`is ${next}`).waitFor();
      try {
        await events.filter({ hasText: orderNumber }).first().waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (next === 'Delivered') throw error;
      }
    }
    await screenshot(page, '07b-admin-orders');

    // Inventory: add ten units to a product.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('Find products').fill(boughtProduct);
    await page.getByRole('button', { name: 'Search' }).last().click();
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: boughtProduct, exact: true }) });
    const before = Number(/^(\d+)/.exec((await row.getByRole('cell').nth(3).textContent()) ?? '')![1]);
    await row.getByRole('spinbutton').fill('10');
    await row.getByRole('button', { name: /Apply/ }).click();
    await row.getByRole('cell', { name: new RegExp(`^${before + 10} `) }).waitFor();
    await screenshot(page, '07c-admin-inventory');
  });

  it('updates the dashboard’s live sales panel when the next checkout’s window closes, without a reload', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    const panel = page.getByRole('region', { name: 'Live sales' });
    // The first sale's window closed long ago: listed (liveSalesWindows) when the page loads.
    const windows = panel.locator('tbody[data-window-start]');
    await windows.first().waitFor();
    await panel.getByRole('table', { name: /^Sales per category in the last/ }).waitFor();
    const before = await windows.evaluateAll((bodies) => bodies.map((body) => body.getAttribute('data-window-start')));
    // The panel's liveSales subscription is being served: a window closing from now on reaches it.
    const gateway = supergraph.gateway as unknown as { activeSubscriptions(): number };
    for (let attempt = 0; gateway.activeSubscriptions() < 1; attempt++) {
      if (attempt > 200) throw new Error('the live sales subscription never started');
      await page.waitForTimeout(50);
    }
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).cloudmartMarker = 'live-panel'));

    // A shopper buys two units of a product, through the API.
    const catalog = await postGraphQL<{
      products: { edges: { node: { id: string; category: { id: string }; price: { amount: number; currency: string } } }[] };
    }>(
      supergraph.gatewayUrl,
      `{ products(first: 1, filter: { inStock: true }, sort: PRICE_ASC) { edges { node { id category { id } price { amount currency } } } } }`,
    );
    const product = catalog.data!.products.edges[0]!.node;
    const signedUp = await signUp(supergraph.gatewayUrl, `live-${Date.now()}@example.com`, 'Live Shopper');
    const shopper = { userId: signedUp.id, headers: bearer(signedUp.token) };
    await addToCart(supergraph, shopper, product.id, 2);
    const paid = await checkout(supergraph, shopper, { idempotencyKey: `live-${Date.now()}`, paymentToken: 'tok_visa' });
    expect(paid.data?.checkout.status).toBe('PAID');

    // Its window appears once it closes, pushed to the page.
    const added = await page.waitForFunction(
      (known) =>
        [...document.querySelectorAll('tbody[data-window-start]')]
          .map((body) => body.getAttribute('data-window-start'))
          .find((start) => !known.includes(start)),
      before,
      { timeout: 30_000 },
    );
    const start = (await added.jsonValue()) as string;
    const body = panel.locator(`tbody[data-window-start="${start}"]`);
    const revenue = await page.evaluate(
      (money) => new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(money.amount / 100),
      { amount: 2 * product.price.amount, currency: product.price.currency },
    );
    const cells = async (name: string) =>
      body.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell').allTextContents();
    expect(await cells('All categories')).toEqual(['1', '2', revenue, '0']);
    expect(await cells(product.category.id)).toEqual(['1', '2', revenue, '']);
    // Announced politely, and the page was not reloaded.
    expect(await panel.getByRole('status').textContent()).toMatch(/: 1 order, /);
    expect(await page.getByTestId('live-sales-update').getAttribute('aria-live')).toBe('polite');
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).cloudmartMarker)).toBe('live-panel');
    await screenshot(page, '08-admin-live-sales');
  });

  it('lets an admin upload a product image, which shoppers then get in the width they need', async () => {
    const catalog = await postGraphQL<{
      products: { edges: { node: { id: string; name: string; images: { id: string }[] } }[] };
    }>(
      supergraph.gatewayUrl,
      `{ products(first: 1, sort: PRICE_ASC) { edges { node { id name images { id } } } } }`,
    );
    const product = catalog.data!.products.edges[0]!.node;
    const count = product.images.length + 1;
    const alt = 'A blue sample card, seen from the front';
    const uploads: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().startsWith(s3.endpoint) && request.method() === 'PUT') uploads.push(request.url());
    };
    page.on('request', onRequest);
    try {
      // Signed in as the admin: the token where the app keeps it, read when the app loads.
      const token = await adminToken();
      await page.goto(web.url);
      await page.evaluate((value) => localStorage.setItem('cloudmart.token', value), token);
      await page.goto(`${web.url}/products/${product.id}`);
      const panel = page.getByRole('region', { name: 'Manage images' });
      const fileInput = panel.getByLabel('Image file');
      const altInput = panel.getByLabel('Alt text');
      const upload = panel.getByRole('button', { name: 'Upload', exact: true });
      const alert = panel.getByRole('alert');
      await fileInput.waitFor();

      // Refused in the browser before any request: not an image, a GIF, over 5 MB, no file at all.
      await fileInput.setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('notes'),
      });
      await alert.filter({ hasText: '“notes.txt” is not a JPEG, PNG or WebP image' }).waitFor();
      // A GIF dropped on the file's zone, as from the desktop.
      const dropped = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['GIF89a'], 'animation.gif', { type: 'image/gif' }));
        return transfer;
      });
      await panel.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
      await alert
        .filter({ hasText: '“animation.gif” is not a JPEG, PNG or WebP image (it is image/gif)' })
        .waitFor();
      await fileInput.setInputFiles({
        name: 'huge.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
      });
      await alert.filter({ hasText: 'images can be at most 5 MB' }).waitFor();
      await altInput.fill(alt);
      await upload.click();
      await alert.filter({ hasText: 'Choose an image file first.' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('file');
      expect(sent.map((operation) => operation.operationName)).not.toContain('CreateProductImageUpload');
      expect(uploads).toEqual([]);

      // A 1600 × 1200 JPEG: uploaded with progress, processed, shown.
      const jpeg = await sharp({
        create: { width: 1600, height: 1200, channels: 3, background: { r: 30, g: 120, b: 200 } },
      })
        .jpeg()
        .toBuffer();
      await fileInput.setInputFiles({ name: 'front.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await alert.waitFor({ state: 'detached' });
      await upload.click();
      await panel
        .getByRole('status')
        .filter({ hasText: `Added “${alt}” as image ${count}.` })
        .waitFor();
      const progress = panel.getByRole('progressbar', { name: 'Upload progress' });
      expect(await progress.evaluate((bar: HTMLProgressElement) => [bar.value, bar.max])).toEqual([
        jpeg.length,
        jpeg.length,
      ]);
      expect(uploads).toHaveLength(1);
      const list = panel.getByRole('list', { name: `Images of ${product.name}` });
      await list
        .getByRole('listitem')
        .nth(count - 1)
        .filter({ hasText: alt })
        .waitFor();
      const gallery = page.locator('.gallery');
      expect((await loaded(gallery.getByRole('img', { name: alt }))).naturalWidth).toBeGreaterThan(0);
      await screenshot(page, '09-admin-product-images');

      // The focus is on the new image's "Move left": Enter moves it to the front, one step at a time.
      for (let position = count - 1; position >= 1; position--) {
        expect(await focusedText()).toMatch(new RegExp(`^← Move left \\(image ${position + 1}, ${alt}\\)$`));
        await page.keyboard.press('Enter');
        await panel
          .getByRole('status')
          .filter({ hasText: `Moved “${alt}” to position ${position} of ${count}.` })
          .waitFor();
      }
      await list.getByRole('listitem').first().filter({ hasText: alt }).waitFor();
      expect(await focusedText()).toBe(`Move right (image 1, ${alt}) →`);
      // Remove the last generated picture: the focus goes to the Remove button of the one before.
      if (count > 2) {
        await list.getByRole('button', { name: new RegExp(`^Remove \\(image ${count},`) }).click();
        await panel
          .getByRole('status')
          .filter({ hasText: /^Removed “/ })
          .waitFor();
        expect(await list.getByRole('listitem').count()).toBe(count - 1);
        expect(await focusedText()).toMatch(new RegExp(`^Remove \\(image ${count - 1},`));
      }
      const images = count > 2 ? count - 1 : count;

      // A guest, with nothing cached (Chromium would show a wider variant it already holds in
      // memory, as it may), finds the product: its card shows the 200 px variant.
      await page.getByRole('button', { name: /Log out/ }).click();
      await (await chromium.context.newCDPSession(page)).send('Network.clearBrowserCache');
      const stored = await postGraphQL<{
        product: { images: { alt: string; variants: { width: number; url: string }[] }[] };
      }>(
        supergraph.gatewayUrl,
        `query($id: ID!) { product(id: $id) { images { alt variants { width url } } } }`,
        {
          id: product.id,
        },
      );
      expect(stored.data!.product.images).toHaveLength(images);
      const variants = stored.data!.product.images[0]!.variants;
      expect(variants.map((variant) => variant.width)).toEqual([200, 600, 1200]);
      for (const variant of variants) expect(variant.url).toMatch(/\.webp$/);
      const srcset = variants.map((variant) => `${variant.url} ${variant.width}w`).join(', ');
      await page.getByRole('searchbox', { name: 'Search products' }).fill(product.name);
      await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
      const card = page
        .getByRole('list', { name: 'Search results' })
        .getByRole('listitem')
        .filter({ has: page.locator(`a[href="/products/${product.id}"]`) });
      const thumbnail = await loaded(card.getByRole('img', { name: alt }));
      expect(thumbnail).toMatchObject({ srcset, currentSrc: variants[0]!.url });
      expect(thumbnail.naturalWidth).toBe(200);
      await screenshot(page, '09b-search-variant');

      // Its page: the first image from its srcset, the 600 px variant for a 560 px column.
      await card.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
      expect(await page.getByRole('region', { name: 'Manage images' }).count()).toBe(0);
      const shown = await loaded(gallery.getByRole('img', { name: alt }));
      expect(shown).toMatchObject({ srcset, currentSrc: variants[1]!.url, loading: 'eager' });
      expect(shown.naturalWidth).toBeGreaterThan(0);
      if (images > 1) expect(await gallery.getByRole('img').nth(1).getAttribute('loading')).toBe('lazy');
      await screenshot(page, '09c-product-variants');
    } catch (error) {
      await screenshot(page, '09-failure').catch(() => undefined);
      throw error;
    } finally {
      page.off('request', onRequest);
    }
  });

  it('keeps the page when a subgraph fails, with a message where its part would be', async () => {
    // A second gateway over the same subgraphs, except that recommendations is unreachable.
    const { start } = (await import(path.join(repoRoot, 'gateway', 'src', 'server.ts'))) as {
      start(env: NodeJS.ProcessEnv): Promise<RunningServer>;
    };
    const broken = await start({
      ...supergraph.env,
      PORT: '0',
      [subgraphUrlVariable('recommendations')]: 'http://127.0.0.1:9/graphql',
    });
    const brokenWeb = await serveWeb(path.join(webDir, 'dist'), broken.url);
    try {
      const catalog = await postGraphQL<{ products: { edges: { node: { id: string; name: string } }[] } }>(
        supergraph.gatewayUrl,
        `{ products(first: 1) { edges { node { id name } } } }`,
      );
      const product = catalog.data!.products.edges[0]!.node;
      await page.goto(`${brokenWeb.url}/products/${product.id}`);
      await page.getByRole('heading', { level: 1, name: product.name }).waitFor();
      await page.getByRole('heading', { name: /^Reviews/ }).waitFor();
      const also = page.getByRole('region', { name: 'Customers also bought' });
      await also
        .getByRole('alert')
        .filter({ hasText: 'Some of the suggestions could not be loaded.' })
        .waitFor();
      // …and the rest of the product page is still there.
      expect(await page.getByRole('heading', { level: 1, name: product.name }).isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: /^Reviews/ }).isVisible()).toBe(true);
      await screenshot(page, '08-partial-page');
    } finally {
      await brokenWeb.stop();
      await broken.stop();
    }
  });

  it("sent every query and mutation by its id from the build's persisted-query manifest", () => {
    const manifest = JSON.parse(readFileSync(path.join(webDir, 'persisted-query-manifest.json'), 'utf8')) as {
      operations: { id: string; name: string }[];
    };
    const ids = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));
    expect(sent.length).toBeGreaterThan(10);
    for (const operation of sent) {
      expect(operation.operationName).toBeDefined();
      expect(operation.extensions?.persistedQuery).toEqual({
        version: 1,
        sha256Hash: ids.get(operation.operationName!),
      });
    }
  });
});

/** Once `image` has loaded (scrolled to, if lazy): what it shows and where from. */
async function loaded(image: Locator) {
  await image.scrollIntoViewIfNeeded();
  return image.evaluate(
    (img: HTMLImageElement) =>
      new Promise<{ naturalWidth: number; currentSrc: string; srcset: string; loading: string }>(
        (resolve, reject) => {
          const done = () =>
            resolve({
              naturalWidth: img.naturalWidth,
              currentSrc: img.currentSrc,
              srcset: img.srcset,
              loading: img.loading,
            });
          if (img.complete) return done();
          img.addEventListener('load', done, { once: true });
          img.addEventListener('error', () => reject(new Error(`${img.currentSrc} did not load`)), {
            once: true,
          });
        },
      ),
  );
}

const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

async function expectText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor();
  expect((await locator.textContent())?.trim()).toBe(text);
}
