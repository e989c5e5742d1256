// DynamoDB gone under a running supergraph (the soak found store outages reaching clients as
// INTERNAL_SERVER_ERROR): the subgraphs that need it answer SERVICE_UNAVAILABLE, retryable, and the
// gateway keeps serving what does not need it.
import { mintCaller, postGraphQL, startTestSupergraph, type Caller, type TestSupergraph } from '@cloudmart/test-kit';

describe('DynamoDB unreachable', () => {
  let graph: TestSupergraph;
  let shopper: Caller;
  const CART = '{ __typename cart { items { quantity } } }';
  beforeAll(async () => {
    graph = await startTestSupergraph({ dynamo: 'own' }); // its own DynamoDB Local: the test stops it
    shopper = await mintCaller(graph);
    expect((await postGraphQL(graph.gatewayUrl, CART, {}, shopper.headers)).errors).toBeUndefined();
    await graph.dynamo!.stop();
  });
  afterAll(() => graph?.stop());

  it('answers SERVICE_UNAVAILABLE for what needs the store, never INTERNAL_SERVER_ERROR', async () => {
    // The cart is read from DynamoDB on every request (no cache in front of it).
    const answer = await postGraphQL(graph.gatewayUrl, CART, {}, shopper.headers);
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((error) => ({ code: error.extensions?.code, retryable: error.extensions?.retryable, path: error.path }))).toEqual([
      { code: 'SERVICE_UNAVAILABLE', retryable: true, path: ['cart'] },
    ]);
    // cart is non-null: the whole data is null, as GraphQL requires.
    expect(answer.data).toBeNull();
    expect(await postGraphQL(graph.gatewayUrl, '{ __typename }')).toEqual({ status: 200, data: { __typename: 'Query' } });
  });
});
