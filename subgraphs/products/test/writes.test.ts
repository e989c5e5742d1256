// Admin catalog changes, stock that never goes negative, and reviews, through the gateway.
import {
  asGateway,
  bearer,
  dataOf,
  errorCodes,
  listProducts,
  postGraphQL,
  signUp,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { logIn } from './helpers';

const CREATE = `mutation($input: CreateProductInput!) {
  createProduct(input: $input) { id sku name price { amount currency } inventory { available status } }
}`;
const ADJUST =
  'mutation($id: ID!, $delta: Int!) { adjustInventory(productId: $id, delta: $delta) { inventory { available status } } }';
const UPDATE =
  'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id sku name price { amount } } }';
const ADD_REVIEW = `mutation($productId: ID!, $rating: Int!, $title: String!, $body: String!) {
  addReview(productId: $productId, rating: $rating, title: $title, body: $body) {
    id rating title body createdAt author { id name } product { id rating { average count } }
  }
}`;
const PRODUCT = `query($id: ID!, $first: Int, $after: String) {
  product(id: $id) {
    id inventory { available status } rating { average count }
    reviews(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id rating title author { id name } } }
    }
  }
}`;

interface ProductResult {
  product: {
    id: string;
    inventory: { available: number; status: string };
    rating: { average: number | null; count: number };
    reviews: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: {
        cursor: string;
        node: { id: string; rating: number; title: string; author: { id: string; name: string } | null };
      }[];
    };
  };
}

let skuNumber = 0;
const productInput = (overrides: Record<string, unknown> = {}) => ({
  sku: `TEST-${++skuNumber}`,
  name: 'Meridian Wireless Earbuds',
  description: 'Small earbuds for tests.',
  brand: 'Testbrand',
  category: 'headphones',
  price: { amount: 12_999, currency: 'USD' },
  stock: 40,
  ...overrides,
});

describe('catalog writes through the gateway', () => {
  let graph: TestSupergraph;
  let url: string;
  let admin: Record<string, string>;
  let shopper: { id: string; headers: Record<string, string> };

  const createProduct = async (overrides: Record<string, unknown> = {}) =>
    dataOf(
      await postGraphQL<{ createProduct: { id: string } }>(
        url,
        CREATE,
        { input: productInput(overrides) },
        admin,
      ),
    ).createProduct;

  beforeAll(async () => {
    // No order history (3,000 orders written in the background by default): nothing here reads it.
    graph = await startTestSupergraph({ env: { SEED_DEMO_DATA: 'true', SEED_PRODUCT_COUNT: '20', SEED_ORDER_COUNT: '0' }, only: ['users', 'products'] });
    url = graph.gatewayUrl;
    admin = bearer(await logIn(url, 'admin@cloudmart.local', 'admin-password'));
    const account = await signUp(url, 'reviewer@example.com', 'Rita Reviewer');
    shopper = { id: account.id, headers: bearer(account.token) };
  });
  afterAll(() => graph?.stop());

  describe('inventory', () => {
    it('lets exactly 40 of 100 concurrent adjustInventory(delta: -1) succeed on stock 40, ending at 0', async () => {
      const { id } = await createProduct({ stock: 40 });
      const results = await Promise.all(
        Array.from({ length: 100 }, () => postGraphQL(url, ADJUST, { id, delta: -1 }, admin)),
      );
      const succeeded = results.filter((result) => !result.errors && result.data?.adjustInventory);
      expect(succeeded).toHaveLength(40);
      expect(results.filter((result) => errorCodes(result).join() === 'OUT_OF_STOCK')).toHaveLength(60);
      const { product } = dataOf(await postGraphQL<ProductResult>(url, PRODUCT, { id }));
      expect(product.inventory).toEqual({ available: 0, status: 'OUT_OF_STOCK' });
    });

    it('refuses a decrement below zero with OUT_OF_STOCK and the units available, and restocks', async () => {
      const { id } = await createProduct({ stock: 3 });
      const refused = await postGraphQL(url, ADJUST, { id, delta: -5 }, admin);
      expect(errorCodes(refused)).toEqual(['OUT_OF_STOCK']);
      expect(refused.errors?.[0]?.extensions?.available).toBe(3);
      const restocked = await postGraphQL<{ adjustInventory: { inventory: unknown } }>(
        url,
        ADJUST,
        { id, delta: 7 },
        admin,
      );
      expect(dataOf(restocked).adjustInventory.inventory).toEqual({ available: 10, status: 'IN_STOCK' });
    });

    it('is for admins only: refused by the gateway (@requiresScopes) and by the subgraph itself', async () => {
      const { id } = await createProduct();
      const refused = ['UNAUTHORIZED_FIELD_OR_TYPE'];
      expect(errorCodes(await postGraphQL(url, ADJUST, { id, delta: 1 }, shopper.headers))).toEqual(refused);
      expect(errorCodes(await postGraphQL(url, ADJUST, { id, delta: 1 }))).toEqual(refused);
      expect(errorCodes(await postGraphQL(url, CREATE, { input: productInput() }, shopper.headers))).toEqual(refused);
      expect(
        errorCodes(await postGraphQL(url, UPDATE, { id, input: { name: 'Nope' } }, shopper.headers)),
      ).toEqual(refused);
      const direct = graph.subgraphUrls.products!;
      // The subgraph refuses too: a client's own token is not the gateway's, and a shopper's call
      // as the gateway would send it is FORBIDDEN by the resolver.
      expect(errorCodes(await postGraphQL(direct, ADJUST, { id, delta: 1 }, shopper.headers))).toEqual([
        'UNAUTHENTICATED',
      ]);
      const asShopper = await asGateway(graph.env, { userId: shopper.id, role: 'CUSTOMER' });
      expect(errorCodes(await postGraphQL(direct, ADJUST, { id, delta: 1 }, asShopper))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await postGraphQL(direct, ADJUST, { id, delta: 1 }, await asGateway(graph.env, null)))).toEqual([
        'UNAUTHENTICATED',
      ]);
    });

    it('rejects a zero delta and an unknown product', async () => {
      const { id } = await createProduct();
      expect(errorCodes(await postGraphQL(url, ADJUST, { id, delta: 0 }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await postGraphQL(url, ADJUST, { id: 'no-such-product', delta: 1 }, admin))).toEqual([
        'NOT_FOUND',
      ]);
    });
  });

  describe('admin catalog changes', () => {
    it('creates a product that search finds at once, and updates it, SKU included', async () => {
      const { id } = await createProduct({ name: 'Zanzibar Quillophone', sku: 'quill-1' });
      const found = dataOf(await listProducts(url, { filter: { search: 'quillophone' } }));
      expect(found.products.edges.map((edge) => edge.node.id)).toEqual([id]);
      expect(found.products.edges[0]!.node.sku).toBe('QUILL-1');

      const updated = await postGraphQL<{
        updateProduct: { sku: string; name: string; price: { amount: number } };
      }>(
        url,
        UPDATE,
        {
          id,
          input: {
            name: 'Zanzibar Marimbaphone',
            sku: 'QUILL-2',
            price: { amount: 15_000, currency: 'usd' },
          },
        },
        admin,
      );
      expect(dataOf(updated).updateProduct).toMatchObject({
        sku: 'QUILL-2',
        name: 'Zanzibar Marimbaphone',
        price: { amount: 15_000 },
      });
      expect(dataOf(await listProducts(url, { filter: { search: 'quillophone' } })).products.edges).toEqual(
        [],
      );
      expect(
        dataOf(await listProducts(url, { filter: { search: 'marimbaphone' } })).products.totalCount,
      ).toBe(1);
      // The old SKU was released with the change; the new one is taken.
      await createProduct({ sku: 'QUILL-1' });
      expect(
        errorCodes(await postGraphQL(url, CREATE, { input: productInput({ sku: 'QUILL-2' }) }, admin)),
      ).toEqual(['CONFLICT']);
    });

    it('validates product input: another currency, a float price, an unknown category, empty names', async () => {
      const attempts = [
        productInput({ price: { amount: 1000, currency: 'EUR' } }),
        productInput({ category: 'spaceships' }),
        productInput({ name: '   ' }),
        productInput({ stock: -1 }),
      ];
      for (const input of attempts)
        expect(errorCodes(await postGraphQL(url, CREATE, { input }, admin))).toEqual(['BAD_USER_INPUT']);
      // Int! refuses 19.99 before any resolver runs: money never travels as a float.
      const float = await postGraphQL(
        url,
        CREATE,
        { input: productInput({ price: { amount: 19.99, currency: 'USD' } }) },
        admin,
      );
      expect(float.errors?.length).toBe(1);
      expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(errorCodes(float)[0]);
      const noChange = await postGraphQL(url, UPDATE, { id: 'anything', input: {} }, admin);
      expect(errorCodes(noChange)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('reviews', () => {
    const review = (
      productId: string,
      rating: number,
      headers: Record<string, string>,
      body = 'Does what it says.',
    ) =>
      postGraphQL<{
        addReview: {
          id: string;
          author: { id: string; name: string };
          product: { rating: { average: number; count: number } };
        };
      }>(url, ADD_REVIEW, { productId, rating, title: `${rating} stars`, body }, headers);

    it('adds a review by the signed-in user and updates the product rating with it', async () => {
      const { id } = await createProduct();
      const added = dataOf(await review(id, 4, shopper.headers)).addReview;
      expect(added.author).toEqual({ id: shopper.id, name: 'Rita Reviewer' });
      expect(added.product.rating).toEqual({ average: 4, count: 1 });

      const second = await signUp(url, 'second@example.com', 'Sam Second');
      expect(dataOf(await review(id, 1, bearer(second.token))).addReview.product.rating).toEqual({
        average: 2.5,
        count: 2,
      });
      const { product } = dataOf(await postGraphQL<ProductResult>(url, PRODUCT, { id, first: 10 }));
      expect(product.rating).toEqual({ average: 2.5, count: 2 });
      expect(product.reviews.edges.map((edge) => edge.node.author?.name)).toEqual([
        'Sam Second',
        'Rita Reviewer',
      ]);
    });

    it('allows one review per user and product', async () => {
      const { id } = await createProduct();
      dataOf(await review(id, 5, shopper.headers));
      expect(errorCodes(await review(id, 3, shopper.headers))).toEqual(['CONFLICT']);
      const { product } = dataOf(await postGraphQL<ProductResult>(url, PRODUCT, { id }));
      expect(product.rating).toEqual({ average: 5, count: 1 });
    });

    it('keeps the rating exact when many users review one product at once', async () => {
      const { id } = await createProduct();
      const reviewers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => signUp(url, `crowd${i}@example.com`, `Crowd ${i}`)),
      );
      const results = await Promise.all(
        reviewers.map((reviewer, i) => review(id, (i % 5) + 1, bearer(reviewer.token))),
      );
      expect(results.flatMap(errorCodes)).toEqual([]);
      const { product } = dataOf(await postGraphQL<ProductResult>(url, PRODUCT, { id, first: 100 }));
      const ratings = reviewers.map((_, i) => (i % 5) + 1);
      expect(product.rating.count).toBe(8);
      expect(product.rating.average).toBe(Math.round((ratings.reduce((a, b) => a + b, 0) / 8) * 100) / 100);
      expect(product.reviews.edges).toHaveLength(8);
    });

    it('pages reviews newest first with stable cursors', async () => {
      const { id } = await createProduct();
      const reviewers = [shopper.headers];
      for (let i = 0; i < 4; i++)
        reviewers.push(bearer((await signUp(url, `pager${i}@example.com`, `Pager ${i}`)).token));
      for (const [i, headers] of reviewers.entries())
        dataOf(await review(id, (i % 5) + 1, headers, `Review number ${i}`));
      const titles: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { product }: ProductResult = dataOf(
          await postGraphQL<ProductResult>(url, PRODUCT, { id, first: 2, after }),
        );
        titles.push(...product.reviews.edges.map((edge) => edge.node.title));
        expect(product.reviews.totalCount).toBe(5);
        if (!product.reviews.pageInfo.hasNextPage) break;
        after = product.reviews.pageInfo.endCursor;
      }
      expect(titles).toEqual(['5 stars', '4 stars', '3 stars', '2 stars', '1 stars']);
    });

    it('lists better-rated products first under sort: RATING', async () => {
      const low = await createProduct({ name: 'Rated Low Gadget' });
      const high = await createProduct({ name: 'Rated High Gadget' });
      dataOf(await review(low.id, 2, shopper.headers));
      dataOf(await review(high.id, 5, shopper.headers));
      const { products } = dataOf(await listProducts(url, { first: 100, sort: 'RATING' }));
      const order = products.edges.map((edge) => edge.node.id);
      expect(order.indexOf(high.id)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(high.id)).toBeLessThan(order.indexOf(low.id));
      const averages = products.edges.map((edge) => edge.node.rating.average ?? 0);
      expect(averages).toEqual([...averages].sort((a, b) => b - a));
    });

    it('rejects rating 9, an empty body, an unknown product, guests, and a tampered review cursor', async () => {
      const { id } = await createProduct();
      const nine = await review(id, 9, shopper.headers);
      expect(errorCodes(nine)).toEqual(['BAD_USER_INPUT']);
      expect(nine.errors?.[0]?.message).toMatch(/rating: must be from 1 to 5/);
      const empty = await review(id, 4, shopper.headers, '   ');
      expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
      expect(empty.errors?.[0]?.message).toMatch(/body: must not be empty/);
      expect(errorCodes(await review('no-such-product', 4, shopper.headers))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await review(id, 4, {}))).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']); // @authenticated
      const tampered = await postGraphQL(url, PRODUCT, {
        id,
        first: 1,
        after: 'eyJwIjoieCIsIm4iOjF9.AAAAAAAAAAAAAAAAAAAAAA',
      });
      expect(errorCodes(tampered)).toEqual(['BAD_USER_INPUT']);
      const tooMany = await postGraphQL(url, PRODUCT, { id, first: 101 });
      expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
