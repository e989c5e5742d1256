// startTestSupergraph({ subgraphs: 'shared' }): the worker's subgraphs, a gateway and counts of its own.
import { postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';

describe("startTestSupergraph({ subgraphs: 'shared' })", () => {
  const graphs: TestSupergraph[] = [];
  afterAll(async () => {
    for (const graph of graphs) await graph.stop();
  });

  it('gives each supergraph its own gateway and counts over the same subgraphs, which outlive it', async () => {
    const first = await startTestSupergraph({ subgraphs: 'shared' });
    graphs.push(first);
    const second = await startTestSupergraph({ subgraphs: 'shared' });
    graphs.push(second);
    expect(second.subgraphUrls).toEqual(first.subgraphUrls);
    expect(second.env.DATA_DIR).toBe(first.env.DATA_DIR);
    expect(second.gatewayUrl).not.toBe(first.gatewayUrl);

    const query = '{ categories { id } }';
    expect((await postGraphQL(first.gatewayUrl, query)).errors).toBeUndefined();
    expect(first.subgraphRequests.products).toBe(1);
    expect(second.subgraphRequests.products).toBe(0);

    await first.stop();
    graphs.shift();
    // The subgraphs are the worker's: the other gateway still reaches them.
    expect((await postGraphQL(second.gatewayUrl, query)).errors).toBeUndefined();
    expect(second.subgraphRequests.products).toBe(1);
  });

  it('refuses options that ask for subgraphs of its own', async () => {
    await expect(startTestSupergraph({ subgraphs: 'shared', env: { SEED_DEMO_DATA: 'true' } })).rejects.toThrow(/takes no env/);
  });
});
