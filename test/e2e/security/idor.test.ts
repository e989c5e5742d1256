// Insecure direct object references: user B asks for user A's things by id, through the gateway and
// straight at each subgraph with forged `_entities` representations, for every entity type that
// holds private data. The direct requests carry the gateway's internal token for B — what a
// subgraph would receive if B's query got through the gateway — so each subgraph's own ownership
// check is what is tested (without that token a subgraph refuses anything: tokens.test.ts). Each answer is an error (FORBIDDEN, NOT_FOUND, or the gateway's
// UNAUTHORIZED_FIELD_OR_TYPE) and none of A's data comes back.
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  bearer,
  type Caller,
  checkout,
  createProduct,
  dataOf,
  gql,
  mintCaller,
  postGraphQL,
  signUp,
  startTestSupergraph,
  type TestSupergraph,
  viaGateway,
} from '@cloudmart/test-kit';

const ENTITIES = (selection: string) =>
  `query($reps: [_Any!]!) { _entities(representations: $reps) { ${selection} } }`;

describe('IDOR through every entity type', () => {
  let graph: TestSupergraph;
  let alice: Caller & { email: string };
  let bob: Caller;
  /** What a subgraph receives from the gateway for bob. */
  let asBob: Record<string, string>;
  let order: { id: string; number: string };
  let addressId: string;
  let conversationId: string;
  let productId: string;

  const codes = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    (response.errors ?? []).map((error) => error.extensions?.code);
  const expectRefused = (
    response: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] },
    secrets: string[],
  ) => {
    expect(codes(response).length).toBeGreaterThan(0);
    for (const code of codes(response))
      expect(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED', 'UNAUTHORIZED_FIELD_OR_TYPE']).toContain(code);
    const leaked = JSON.stringify(response.data ?? null);
    for (const secret of secrets) expect(leaked).not.toContain(secret);
  };

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    const admin = await mintCaller(graph, 'ADMIN');
    productId = await createProduct(graph, admin, { stock: 10 });
    const email = `alice-${randomUUID()}@example.com`;
    const signed = await signUp(graph.gatewayUrl, email, 'Alice');
    alice = { userId: signed.id, headers: bearer(signed.token), email };
    const bobSigned = await signUp(graph.gatewayUrl, `bob-${randomUUID()}@example.com`, 'Bob');
    bob = { userId: bobSigned.id, headers: bearer(bobSigned.token) };
    asBob = await viaGateway(graph, bob);
    const address = await gql<{ addAddress: { id: string } }>(
      graph,
      'mutation($input: AddressInput!) { addAddress(input: $input) { id } }',
      { input: { line1: '1 Secret Lane', city: 'Hiddenville', postalCode: '12345', country: 'DE' } },
      alice,
    );
    addressId = dataOf(address).addAddress.id;
    await addToCart(graph, alice, productId, 1);
    const placed = dataOf(
      await checkout(graph, alice, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;
    order = { id: placed.id, number: placed.number };
    const asked = await gql<{ askSupport: { conversationId: string } }>(
      graph,
      'mutation { askSupport(message: "Where is my order?") { conversationId } }',
      {},
      alice,
    );
    conversationId = dataOf(asked).askSupport.conversationId;
  });
  afterAll(() => graph?.stop());

  it('Order: by id and by number through the gateway, and _entities on orders and payments', async () => {
    expectRefused(
      await gql(graph, 'query($id: ID!) { order(id: $id) { id total { amount } } }', { id: order.id }, bob),
      [order.number],
    );
    const byNumber = await gql<{ orderByNumber: unknown }>(
      graph,
      'query($n: String!) { orderByNumber(number: $n) { id } }',
      { n: order.number },
      bob,
    );
    expect(byNumber.data).toEqual({ orderByNumber: null });
    const reps = [{ __typename: 'Order', id: order.id }];
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.orders!,
        ENTITIES('... on Order { id number total { amount } }'),
        { reps },
        asBob,
      ),
      [order.number],
    );
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.payments!,
        ENTITIES('... on Order { payment { id status } }'),
        { reps },
        asBob,
      ),
      ['AUTHORIZED', 'CAPTURED'],
    );
  });

  it('User: email on users, orders on orders, recommendations on recommendations', async () => {
    const reps = [{ __typename: 'User', id: alice.userId }];
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.users!,
        ENTITIES('... on User { id email }'),
        { reps },
        asBob,
      ),
      [alice.email],
    );
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.orders!,
        ENTITIES('... on User { orders { edges { node { id number } } } }'),
        { reps },
        asBob,
      ),
      [order.id, order.number],
    );
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.recommendations!,
        ENTITIES('... on User { recommendations { id } }'),
        { reps },
        asBob,
      ),
      [],
    );
  });

  it('Address: _entities on users', async () => {
    const reps = [{ __typename: 'Address', id: addressId }];
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.users!,
        ENTITIES('... on Address { id line1 city }'),
        { reps },
        asBob,
      ),
      ['Secret Lane', 'Hiddenville'],
    );
  });

  it('Order.shippingAddress and Order.user through the gateway give nothing of another user', async () => {
    const response = await gql(
      graph,
      'query($id: ID!) { order(id: $id) { user { email } shippingAddress { line1 } } }',
      { id: order.id },
      bob,
    );
    expectRefused(response, [alice.email, 'Secret Lane']);
  });

  it("SupportConversation: another user's conversation reads as NOT_FOUND", async () => {
    const response = await gql(
      graph,
      'query($id: ID!) { supportConversation(id: $id) { id messages { text } } }',
      { id: conversationId },
      bob,
    );
    expect(codes(response)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(response.data)).not.toContain('Where is my order');
  });

  it('Product and Review sentiment (admin-only analytics): _entities on insights as a shopper', async () => {
    const reps = [{ __typename: 'Product', id: productId }];
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.insights!,
        ENTITIES('... on Product { sentiment { reviewCount } }'),
        { reps },
        asBob,
      ),
      [],
    );
    expectRefused(
      await postGraphQL(
        graph.subgraphUrls.insights!,
        ENTITIES('... on Review { sentiment { label } }'),
        { reps: [{ __typename: 'Review', id: 'r-1' }] },
        asBob,
      ),
      [],
    );
  });
});
