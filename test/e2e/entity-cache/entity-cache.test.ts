// The entity cache through the whole supergraph: the product page query the web client sends
// (web/src/pages/Product.tsx: products root fields, review authors from users' _entities),
// counted at the subgraphs with the cache on and off; changes becoming visible through events;
// PRIVATE data kept per caller; replicas sharing entries through Redis.
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  eventually,
  gql,
  mintCaller,
  postGraphQL,
  signUp,
  startRedis,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { start as startGateway, type RunningGateway } from '@cloudmart/gateway/server';

const PRODUCT_PAGE = `query ProductPage($id: ID!) {
  product(id: $id) {
    id name description brand sku
    category { id name }
    price { amount currency }
    images { url alt }
    inventory { available status }
    rating { average count }
    reviews(first: 10) { totalCount edges { node { id rating title body createdAt author { id name } } } }
  }
}`;

interface ProductPage {
  product: {
    name: string;
    price: { amount: number };
    inventory: { available: number };
    reviews: { totalCount: number };
  };
}

describe('entity cache', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  let productId: string;
  const extraGateways: RunningGateway[] = [];
  const total = () => Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);
  const page = (url: string) => postGraphQL<ProductPage>(url, PRODUCT_PAGE, { id: productId });

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    admin = await mintCaller(graph, 'ADMIN');
    productId = await createProduct(graph, admin, { stock: 50, price: 3_000, name: 'Cached headphones' });
    const reviewer = await signUp(graph.gatewayUrl, `reviewer-${randomUUID()}@example.com`, 'Rita Reviewer');
    dataOf(
      await postGraphQL(
        graph.gatewayUrl,
        'mutation($p: ID!) { addReview(productId: $p, rating: 5, title: "Great", body: "Sounds great.") { id } }',
        { p: productId },
        { authorization: `Bearer ${reviewer.token}` },
      ),
    );
  });

  afterAll(async () => {
    for (const gateway of extraGateways) await gateway.stop();
    await graph?.stop();
  });

  it('sends a repeated product page query to the subgraphs at least 10 times less often', async () => {
    const uncached = await startGateway({ ...graph.env, ENTITY_CACHE: 'false' });
    extraGateways.push(uncached);
    const N = 20;
    graph.resetSubgraphRequests();
    const expected = dataOf(await page(uncached.url));
    expect(expected.product.reviews.totalCount).toBe(1);
    for (let i = 1; i < N; i += 1) await page(uncached.url);
    const withoutCache = total();
    expect(graph.subgraphRequests.users).toBeGreaterThan(0); // the authors come from users' _entities

    graph.resetSubgraphRequests();
    for (let i = 0; i < N; i += 1) expect(dataOf(await page(graph.gatewayUrl))).toEqual(expected);
    const withCache = total();

    expect(withoutCache).toBe(2 * N); // products (root) and users (_entities) per query
    expect(withCache * 10).toBeLessThanOrEqual(withoutCache);

    // Operators see it in /metrics: the hits on users' entities at least (one reviewer, N - 1 times).
    const metrics = await (await fetch(new URL('/metrics', graph.gatewayUrl))).text();
    const hits = /cloudmart_entity_cache_lookups_total\{[^}]*subgraph="users"[^}]*result="hit"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(hits?.[1] ?? 0)).toBeGreaterThanOrEqual(N - 1);
  });

  it('shows a checkout’s stock change once its OrderPlaced event arrives, though cached for longer', async () => {
    const before = dataOf(await page(graph.gatewayUrl)).product.inventory.available;
    graph.resetSubgraphRequests();
    expect(dataOf(await page(graph.gatewayUrl)).product.inventory.available).toBe(before);
    expect(total()).toBe(0); // served from the cache

    const shopper = await signUp(graph.gatewayUrl, `shopper-${randomUUID()}@example.com`, 'Sam Shopper');
    const caller: Caller = { userId: shopper.id, headers: { authorization: `Bearer ${shopper.token}` } };
    await addToCart(graph, caller, productId, 3);
    dataOf(await checkout(graph, caller, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }));

    await eventually(async () => {
      expect(dataOf(await page(graph.gatewayUrl)).product.inventory.available).toBe(before - 3);
    });
  });

  it('shows a product update made through the gateway once its product event arrives', async () => {
    expect(dataOf(await page(graph.gatewayUrl)).product.price.amount).toBe(3_000);
    dataOf(
      await gql(
        graph,
        'mutation($id: ID!) { updateProduct(id: $id, input: { name: "Renamed headphones", price: { amount: 2500, currency: "USD" } }) { id } }',
        { id: productId },
        admin,
      ),
    );
    await eventually(async () => {
      const { product } = dataOf(await page(graph.gatewayUrl));
      expect(product.price.amount).toBe(2_500);
      expect(product.name).toBe('Renamed headphones');
    });
  });

  it('never serves one caller’s PRIVATE data to another', async () => {
    const ME = '{ me { id name email } }';
    const users = await Promise.all(
      ['Alice', 'Bob'].map(async (name) => {
        const email = `${name.toLowerCase()}-${randomUUID()}@example.com`;
        const { id, token } = await signUp(graph.gatewayUrl, email, name);
        return { id, name, email, headers: { authorization: `Bearer ${token}` } };
      }),
    );
    graph.resetSubgraphRequests();
    for (let round = 0; round < 2; round += 1) {
      for (const user of users) {
        const response = await postGraphQL(graph.gatewayUrl, ME, {}, user.headers);
        expect(dataOf(response)).toEqual({ me: { id: user.id, name: user.name, email: user.email } });
      }
    }
    // Each caller's second read came from the cache (their own entry), not the users subgraph.
    expect(graph.subgraphRequests.users).toBe(2);
    // A guest is refused by the gateway before any fetch, cached or not.
    expect((await postGraphQL(graph.gatewayUrl, ME)).data?.me ?? null).toBeNull();
  });

  it('lets replicas share entries through Redis', async () => {
    const redis = await startRedis();
    try {
      const env = { ...graph.env, REDIS_URL: redis.url };
      const [first, second] = [await startGateway(env), await startGateway(env)];
      extraGateways.push(first, second);
      graph.resetSubgraphRequests();
      const expected = dataOf(await page(first.url));
      expect(total()).toBe(2);
      expect(dataOf(await page(second.url))).toEqual(expected);
      expect(total()).toBe(2); // the second replica's query was a hit on the first one's entries

      // Invalidation reaches the shared entries too.
      const shopper = await mintCaller(graph);
      await addToCart(graph, shopper, productId, 1);
      dataOf(await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }));
      await eventually(async () => {
        expect(dataOf(await page(second.url)).product.inventory.available).toBe(
          expected.product.inventory.available - 1,
        );
      });
    } finally {
      for (const gateway of extraGateways.splice(1)) await gateway.stop();
      await redis.stop();
    }
  });
});
