// startTestSupergraph({ only }): the subgraphs named start, the gateway still serves the whole
// supergraph, and a request that reaches one not started fails, counted, instead of passing.
import { postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';

describe('startTestSupergraph({ only })', () => {
  let graph: TestSupergraph | undefined;
  afterAll(async () => {
    await graph?.stop();
  });

  it('starts only the subgraphs named; one not started answers every request with an error', async () => {
    graph = await startTestSupergraph({ only: ['products'] });
    expect(Object.keys(graph.subgraphUrls)).toEqual(['products']);

    expect(await postGraphQL(graph.gatewayUrl, '{ categories { id } }')).toMatchObject({ data: { categories: expect.any(Array) } });
    expect(graph.subgraphRequests.products).toBe(1);

    const logIn = await postGraphQL(graph.gatewayUrl, 'mutation { logIn(email: "a@example.com", password: "password-1") { token } }');
    expect(logIn.data ?? null).toBeNull();
    expect(logIn.errors?.length).toBeGreaterThan(0);
    expect(graph.subgraphRequests.users).toBe(1);

    // Its stand-in is not ready, so neither is the gateway.
    expect((await fetch(new URL('/ready', graph.gatewayUrl))).status).toBe(503);
  });

  it('refuses a name supergraph.yaml does not list', async () => {
    await expect(startTestSupergraph({ only: ['product'] })).rejects.toThrow(/only names product, not in supergraph.yaml/);
  });
});
