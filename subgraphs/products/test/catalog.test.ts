// The seeded catalog through the gateway: paging, search, filters, sorting, bad input, and
// changes made by other writers reaching the search index through the DynamoDB stream.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  loadConfig,
  dynamoConfigSchema,
  tableName,
} from '@cloudmart/runtime';
import { productsTables } from '../src/contract';
import {
  asGateway,
  bearer,
  dataOf,
  errorCodes,
  eventually,
  listProducts,
  postGraphQL,
  type ProductNode,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { generateCatalog } from '../src/seed';
import { logIn, pageThrough } from './helpers';

const SEEDED = 2_000;
const seeded = generateCatalog({ count: SEEDED });
const seededIds = seeded.map((product) => product.id).sort();
const text = (product: { name: string; description: string; brand: string }) =>
  `${product.name} ${product.description} ${product.brand}`.toLowerCase();

describe('the catalog through the gateway', () => {
  let graph: TestSupergraph;
  let url: string;
  let adminToken: string;

  beforeAll(async () => {
    // No order history (3,000 orders written in the background by default): nothing here reads it.
    graph = await startTestSupergraph({ env: { SEED_DEMO_DATA: 'true', SEED_ORDER_COUNT: '0', STREAM_POLL_MS: '100' }, only: ['users', 'products'] });
    url = graph.gatewayUrl;
    adminToken = await logIn(url, 'admin@cloudmart.local', 'admin-password');
  });
  afterAll(() => graph?.stop());

  it.each(['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'RATING'])(
    'pages through every seeded product exactly once with first: 100 (sort %s)',
    async (sort) => {
      const nodes = await pageThrough(url, { first: 100, sort });
      expect(nodes).toHaveLength(SEEDED);
      expect(nodes.map((node) => node.id).sort()).toEqual(seededIds);
      if (sort === 'PRICE_ASC') {
        for (let i = 1; i < nodes.length; i++)
          expect(nodes[i]!.price.amount).toBeGreaterThanOrEqual(nodes[i - 1]!.price.amount);
      }
    },
  );

  it('keeps pages stable while products are being added: nothing repeated, nothing skipped', async () => {
    const created: string[] = [];
    const nodes = await pageThrough(url, { first: 100, sort: 'NEWEST' }, async (page) => {
      // A new product sorts first under NEWEST: with offsets, every later page would shift by one.
      const response = await postGraphQL<{ createProduct: { id: string } }>(
        url,
        'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `PAGING-${page}`,
            name: `Paging Test Lamp ${page}`,
            description: 'Added while a client was paging.',
            brand: 'Testbrand',
            category: 'furniture',
            price: { amount: 4999, currency: 'USD' },
            stock: 3,
          },
        },
        bearer(adminToken),
      );
      created.push(dataOf(response).createProduct.id);
    });
    const seen = nodes.map((node) => node.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => !created.includes(id)).sort()).toEqual(seededIds);
    expect(created).toHaveLength(SEEDED / 100 - 1);
  });

  it('ranks products that match both words first when searching "wireless headphones"', async () => {
    const nodes = await pageThrough(url, { first: 100, filter: { search: 'wireless headphones' } });
    const both = (product: { name: string; description: string; brand: string }) =>
      /\bwireless\b/.test(text(product)) && /\bheadphones?\b/.test(text(product));
    const expectedBoth = seeded
      .filter(both)
      .map((product) => product.id)
      .sort();
    expect(expectedBoth.length).toBeGreaterThan(10);
    // The catalog also has wired headphones and other wireless things: they come after.
    expect(nodes.length).toBeGreaterThan(expectedBoth.length);
    expect(
      nodes
        .slice(0, expectedBoth.length)
        .map((node) => node.id)
        .sort(),
    ).toEqual(expectedBoth);
    expect(nodes.slice(expectedBoth.length).some(both)).toBe(false);
  });

  it('still finds headphones when the search has a typo ("headphnes")', async () => {
    const { products } = dataOf(await listProducts(url, { first: 20, filter: { search: 'headphnes' } }));
    expect(products.edges.length).toBeGreaterThan(0);
    for (const { node } of products.edges) expect(text(node)).toMatch(/headphones/);
    const namedHeadphones = seeded.filter((product) => /headphones/i.test(product.name)).length;
    expect(products.totalCount).toBeGreaterThanOrEqual(namedHeadphones);
  });

  it('combines search with category, price range, stock filters and a sort', async () => {
    const filter = { category: 'headphones', minPrice: 5_000, maxPrice: 20_000, inStock: true };
    const combined = await pageThrough(url, {
      first: 25,
      sort: 'PRICE_ASC',
      filter: { ...filter, search: 'wireless headphones' },
    });
    const searchOnly = await pageThrough(url, { first: 100, filter: { search: 'wireless headphones' } });
    const expected = searchOnly.filter(
      (node) =>
        node.category.id === 'headphones' &&
        node.price.amount >= 5_000 &&
        node.price.amount <= 20_000 &&
        node.inventory.available > 0,
    );
    expect(combined.length).toBeGreaterThan(0);
    expect(combined.map((node) => node.id).sort()).toEqual(expected.map((node) => node.id).sort());
    for (let i = 1; i < combined.length; i++)
      expect(combined[i]!.price.amount).toBeGreaterThanOrEqual(combined[i - 1]!.price.amount);

    const { products } = dataOf(
      await listProducts(url, {
        first: 5,
        sort: 'PRICE_ASC',
        filter: { ...filter, search: 'wireless headphones' },
      }),
    );
    expect(products.totalCount).toBe(combined.length);
  });

  it('prices in integer minor units and lists at least 12 categories', async () => {
    const { products } = dataOf(await listProducts(url, { first: 100 }));
    for (const { node } of products.edges) {
      expect(Number.isInteger(node.price.amount)).toBe(true);
      expect(node.price.currency).toBe('USD');
    }
    const response = await postGraphQL<{ categories: { id: string; productCount: number }[] }>(
      url,
      '{ categories { id name productCount } }',
    );
    const { categories } = dataOf(response);
    expect(categories.length).toBeGreaterThanOrEqual(12);
    expect(categories.every((category) => category.productCount > 0)).toBe(true);
  });

  it('answers bad input with clear, coded errors and no stack traces', async () => {
    const { products } = dataOf(await listProducts(url, { first: 2, sort: 'PRICE_ASC' }));
    const cursor = products.pageInfo.endCursor!;
    const [payload, signature] = cursor.split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/"k":\[\d+\]/, '"k":[1]'),
    ).toString('base64url');
    expect(forged).not.toBe(payload);

    const cases: [string, Promise<{ errors?: unknown[] } & Parameters<typeof errorCodes>[0]>, string][] = [
      ['first: -1', listProducts(url, { first: -1 }), 'BAD_USER_INPUT'],
      ['first: 101', listProducts(url, { first: 101 }), 'BAD_USER_INPUT'],
      // Far over the limit, the gateway's demand control refuses it before the subgraph sees it.
      ['first: 10000', listProducts(url, { first: 10_000 }), 'COST_ESTIMATED_TOO_EXPENSIVE'],
      [
        'a cursor with a changed payload',
        listProducts(url, { first: 2, sort: 'PRICE_ASC', after: `${forged}.${signature}` }),
        'BAD_USER_INPUT',
      ],
      [
        'a cursor that is not one',
        listProducts(url, { first: 2, after: 'bm90LWEtY3Vyc29y' }),
        'BAD_USER_INPUT',
      ],
      [
        'a cursor for another sort',
        listProducts(url, { first: 2, sort: 'NEWEST', after: cursor }),
        'BAD_USER_INPUT',
      ],
      [
        'minPrice above maxPrice',
        listProducts(url, { filter: { minPrice: 500, maxPrice: 100 } }),
        'BAD_USER_INPUT',
      ],
      ['an unknown category', listProducts(url, { filter: { category: 'spaceships' } }), 'BAD_USER_INPUT'],
      [
        'an unknown product id',
        postGraphQL(url, 'query($id: ID!) { product(id: $id) { id } }', { id: 'no-such-product' }),
        'NOT_FOUND',
      ],
    ];
    for (const [what, pending, code] of cases) {
      const response = await pending;
      expect({ what, codes: errorCodes(response) }).toEqual({ what, codes: [code] });
      expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
    }
    const tooMany = await listProducts(url, { first: 101 });
    expect(tooMany.errors?.[0]?.message).toMatch(/first.*at most 100/);
  });

  it("sees stock changed by another writer (checkout's conditional decrement) through the stream", async () => {
    const { products } = dataOf(
      await listProducts(url, { first: 1, sort: 'PRICE_DESC', filter: { inStock: true } }),
    );
    const target: ProductNode = products.edges[0]!.node;
    const config = loadConfig(dynamoConfigSchema, graph.env);
    const otherProcess = createDocumentClient(config);
    try {
      // Exactly the update the tables module documents for the orders subgraph's checkout.
      await otherProcess.send(
        new UpdateCommand({
          TableName: tableName(config.DYNAMODB_TABLE_PREFIX, productsTables.products),
          Key: { id: target.id },
          UpdateExpression: 'SET stock = stock - :quantity, updatedAt = :now ADD version :one',
          ConditionExpression: 'attribute_exists(id) AND stock >= :quantity',
          ExpressionAttributeValues: {
            ':quantity': target.inventory.available,
            ':now': new Date().toISOString(),
            ':one': 1,
          },
        }),
      );
    } finally {
      otherProcess.destroy();
    }
    // Asked of the products subgraph itself: through the gateway, the listing may come from its
    // entity cache for the 30 s `inventory` allows (a real checkout's order events drop it sooner;
    // this write sends none).
    const direct = graph.subgraphUrls.products!;
    const asGuest = await asGateway(graph.env, null);
    await eventually(async () => {
      const after = dataOf(
        await listProducts(direct, { first: 1, sort: 'PRICE_DESC', filter: { inStock: true } }, asGuest),
      );
      expect(after.products.edges[0]!.node.id).not.toBe(target.id);
    });
    const soldOut = dataOf(
      await listProducts(direct, { first: 100, sort: 'PRICE_DESC', filter: { inStock: false } }, asGuest),
    );
    expect(soldOut.products.edges.map((edge) => edge.node.id)).toContain(target.id);
  });
});
