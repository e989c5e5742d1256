// Operation limits and demand control: a bomb is refused with its code before any subgraph is
// called (the harness counts every fetch the gateway makes), and ordinary operations still run.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  errorCodes,
  mintCaller,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const totalRequests = (graph: TestSupergraph) =>
  Object.values(graph.subgraphRequests).reduce((sum, count) => sum + count, 0);

describe('operation limits and demand control', () => {
  let graph: TestSupergraph;
  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
  });
  afterAll(() => graph?.stop());
  beforeEach(() => graph.resetSubgraphRequests());

  it('refuses a depth-30 query with MAX_DEPTH_LIMIT and calls no subgraph', async () => {
    // product → recommendations → recommendations … is a valid query of any depth.
    let selection = 'id';
    for (let level = 0; level < 28; level += 1) selection = `recommendations(first: 1) { ${selection} }`;
    const query = `{ product(id: "p-1") { ${selection} } }`;
    const response = await postGraphQL(graph.gatewayUrl, query);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['MAX_DEPTH_LIMIT']);
    expect(response.data).toBeUndefined();
    expect(totalRequests(graph)).toBe(0);
  });

  it('refuses a 1,000-alias query with MAX_ALIASES_LIMIT and calls no subgraph', async () => {
    const aliases = Array.from({ length: 1_000 }, (_, index) => `a${index}: id`).join(' ');
    const response = await postGraphQL(graph.gatewayUrl, `{ categories { ${aliases} } }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['MAX_ALIASES_LIMIT']);
    expect(totalRequests(graph)).toBe(0);
  });

  it('counts aliases and depth through fragments, each use of a fragment counted', async () => {
    const fragment = `fragment Names on Category { ${Array.from({ length: 10 }, (_, i) => `n${i}: name`).join(' ')} }`;
    const spreads = Array.from({ length: 4 }, (_, i) => `c${i}: categories { ...Names }`).join(' ');
    const response = await postGraphQL(graph.gatewayUrl, `{ ${spreads} } ${fragment}`);
    expect(errorCodes(response)).toEqual(['MAX_ALIASES_LIMIT']); // 4 + 4 × 10 > 30
    expect(totalRequests(graph)).toBe(0);
  });

  it('refuses too many root fields with MAX_ROOT_FIELDS_LIMIT', async () => {
    const fields = Array.from({ length: 25 }, () => 'categories { id }').join(' ');
    const response = await postGraphQL(graph.gatewayUrl, `{ ${fields} }`);
    expect(errorCodes(response)).toEqual(['MAX_ROOT_FIELDS_LIMIT']);
    expect(totalRequests(graph)).toBe(0);
  });

  it('refuses a document longer than MAX_DOCUMENT_BYTES before parsing it', async () => {
    const response = await postGraphQL(graph.gatewayUrl, `{ categories { id } } # ${'x'.repeat(25_000)}`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['MAX_DOCUMENT_SIZE_LIMIT']);
    expect(totalRequests(graph)).toBe(0);
  });

  it('refuses a query over the cost ceiling with COST_ESTIMATED_TOO_EXPENSIVE and calls no subgraph', async () => {
    const query = `{
      products(first: 100) {
        edges { node { id reviews(first: 100) { edges { node { id title } } } recommendations(first: 50) { id name } } }
      }
    }`;
    const response = await postGraphQL(graph.gatewayUrl, query);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    const cost = response.errors![0]!.extensions!.cost as { estimated: number; max: number };
    expect(cost.estimated).toBeGreaterThan(cost.max);
    expect(totalRequests(graph)).toBe(0);
  });

  it('reads slicing arguments from variables too', async () => {
    const query = `query($n: Int) { products(first: $n) { edges { node { recommendations(first: 50) { id } } } } }`;
    const cheap = await postGraphQL(graph.gatewayUrl, query, { n: 2 });
    expect(cheap.errors).toBeUndefined();
    graph.resetSubgraphRequests();
    const costly = await postGraphQL(graph.gatewayUrl, query, { n: 100 });
    expect(errorCodes(costly)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(totalRequests(graph)).toBe(0);
  });

  it('still runs an ordinary operation within every limit', async () => {
    const response = await postGraphQL<{ products: { edges: unknown[] } }>(
      graph.gatewayUrl,
      '{ categories { id name } products(first: 5) { edges { node { id name recommendations(first: 3) { id } } } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(Array.isArray(response.data?.products.edges)).toBe(true);
    expect(graph.subgraphRequests.products).toBeGreaterThan(0);
  });

  it('applies the same limits to subscriptions over graphql-ws, before any subgraph is called', async () => {
    const shopper = await mintCaller(graph);
    /** Subscribes over graphql-ws and returns the codes of the `error` message it gets. */
    const refusalCodes = (query: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const client = createClient({
          url: graph.gatewayUrl.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: shopper.headers.authorization },
          retryAttempts: 0,
        });
        client.subscribe(
          { query },
          {
            next: () => reject(new Error('a refused subscription delivered a result')),
            error: (errors) => {
              void client.dispose();
              resolve(Array.isArray(errors) ? errors.map((error: { extensions?: { code?: unknown } }) => error.extensions?.code) : [String(errors)]);
            },
            complete: () => reject(new Error('completed without an error')),
          },
        );
      });
    let selection = 'id';
    for (let level = 0; level < 26; level += 1) selection = `recommendations(first: 1) { ${selection} }`;
    expect(await refusalCodes(`subscription { myOrderUpdates { items { product { ${selection} } } } }`)).toEqual([
      'MAX_DEPTH_LIMIT',
    ]);
    const aliases = Array.from({ length: 1_000 }, (_, index) => `a${index}: id`).join(' ');
    expect(await refusalCodes(`subscription { myOrderUpdates { ${aliases} } }`)).toEqual(['MAX_ALIASES_LIMIT']);
    expect(await refusalCodes(`subscription { myOrderUpdates { id } } # ${'x'.repeat(25_000)}`)).toEqual([
      'MAX_DOCUMENT_SIZE_LIMIT',
    ]);
    expect(totalRequests(graph)).toBe(0);
  });
});
