// @authenticated and @requiresScopes, enforced by the gateway from the supergraph before planning:
// what the caller may not see is removed with an UNAUTHORIZED_FIELD_OR_TYPE error per field, and
// the rest of the operation still runs. Subgraphs check again (see idor.test.ts).
import {
  type Caller,
  createProduct,
  errorCodes,
  mintCaller,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';

describe('authorization directives', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  let shopper: Caller;
  let productId: string;
  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    admin = await mintCaller(graph, 'ADMIN');
    shopper = await mintCaller(graph, 'CUSTOMER');
    productId = await createProduct(graph, admin, { stock: 5 });
  });
  afterAll(() => graph?.stop());
  beforeEach(() => graph.resetSubgraphRequests());

  it('returns the public data and one error per @authenticated field to a caller without a token', async () => {
    const response = await postGraphQL<{
      product: { id: string; name: string } | null;
      me: null;
      order: null;
    }>(
      graph.gatewayUrl,
      'query Mixed($id: ID!) { product(id: $id) { id name } me { id email } order(id: "nope") { id } }',
      { id: productId },
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      product: { id: productId, name: expect.any(String) },
      me: null,
      order: null,
    });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['me'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }),
      expect.objectContaining({ path: ['order'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }),
    ]);
    // The removed fields were never fetched.
    expect(graph.subgraphRequests.users).toBe(0);
    expect(graph.subgraphRequests.orders).toBe(0);
    expect(graph.subgraphRequests.products).toBeGreaterThan(0);
  });

  it('removes nested fields too, inside fragments, and drops the variables only they used', async () => {
    const response = await postGraphQL<{ product: { id: string; sentiment?: unknown } | null }>(
      graph.gatewayUrl,
      `query($id: ID!, $first: Int) {
        product(id: $id) { ...Public recommendations(first: $first) { id } }
      }
      fragment Public on Product { id name }`,
      { id: productId, first: 2 },
      shopper.headers,
    );
    expect(response.errors).toBeUndefined();
    const withSentiment = await postGraphQL(
      graph.gatewayUrl,
      `query($id: ID!) { product(id: $id) { ...WithSentiment } } fragment WithSentiment on Product { id sentiment { reviewCount } }`,
      { id: productId },
      shopper.headers,
    );
    // Product.sentiment is admin-only and non-null: its product reads null, as the Router shapes it.
    expect(withSentiment.data).toEqual({ product: null });
    expect(withSentiment.errors).toEqual([
      expect.objectContaining({
        path: ['product', 'sentiment'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      }),
    ]);
    expect(graph.subgraphRequests.insights).toBe(0);
  });

  it('gives @requiresScopes(admin) fields to admins only, mutations included', async () => {
    const query = 'query { tickets { id } }';
    const asShopper = await postGraphQL(graph.gatewayUrl, query, {}, shopper.headers);
    expect(errorCodes(asShopper)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(asShopper.data).toBeNull(); // tickets is non-null: nothing is left of the data
    expect(graph.subgraphRequests.support).toBe(0);
    const asAdmin = await postGraphQL(graph.gatewayUrl, query, {}, admin.headers);
    expect(asAdmin.errors).toBeUndefined();

    const adjust = 'mutation($id: ID!) { adjustInventory(productId: $id, delta: 1) { id } }';
    graph.resetSubgraphRequests();
    const refused = await postGraphQL(graph.gatewayUrl, adjust, { id: productId }, shopper.headers);
    expect(errorCodes(refused)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(refused.data).toBeNull();
    expect(graph.subgraphRequests.products).toBe(0);
    expect(
      (await postGraphQL(graph.gatewayUrl, adjust, { id: productId }, admin.headers)).errors,
    ).toBeUndefined();
  });

  it('does not let a plan made for a guest serve a signed-in caller (the same text, different documents)', async () => {
    const query = '{ me { id } categories { id } }';
    const guest = await postGraphQL<{ me: { id: string } | null }>(graph.gatewayUrl, query);
    expect(guest.data?.me).toBeNull();
    const signedIn = await postGraphQL<{ me: { id: string } | null }>(
      graph.gatewayUrl,
      query,
      {},
      shopper.headers,
    );
    expect(signedIn.errors).toBeUndefined();
    // A minted caller has no account row: the users subgraph was asked and answered null.
    expect(graph.subgraphRequests.users).toBe(1);
  });
});
