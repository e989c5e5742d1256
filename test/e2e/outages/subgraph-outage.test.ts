// A subgraph that does not answer costs only its own fields: the gateway puts SUBGRAPH_UNAVAILABLE
// at each field it would have filled and the rest of the query's data arrives (issue 17). Two ways
// a subgraph fails: the connection is refused (the process is gone), and it accepts but never
// answers (stuck), which its own deadline (SUBGRAPH_<NAME>_TIMEOUT_MS) ends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { start as startGateway } from '@cloudmart/gateway/server';
import {
  createProduct,
  freePort,
  mintCaller,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import type { RunningServer } from '@cloudmart/runtime';

type Answer = Awaited<ReturnType<typeof postGraphQL<Record<string, unknown>>>>;

describe('a subgraph that does not answer', () => {
  let graph: TestSupergraph;
  let productId: string;
  const stuckRequests: http.IncomingMessage[] = [];
  let stuck: http.Server;
  const gateways: RunningServer[] = [];

  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
    productId = await createProduct(graph, await mintCaller(graph, 'ADMIN'), { stock: 5 });
    // Accepts requests and never answers them.
    stuck = http.createServer((request) => void stuckRequests.push(request));
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const request of stuckRequests) request.socket.destroy();
    await new Promise((resolve) => stuck?.close(resolve));
    await graph?.stop();
  });

  /** A gateway over the test supergraph with some subgraphs pointed elsewhere. */
  async function gatewayWith(env: NodeJS.ProcessEnv) {
    const gateway = await startGateway({ ...graph.env, PORT: '0', ENTITY_CACHE: 'false', ...env });
    gateways.push(gateway);
    return gateway.url;
  }

  const expectUnavailableAt = (answer: Answer, paths: (string | number)[][], subgraph: string) => {
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((error) => ({ path: error.path, code: error.extensions?.code, service: error.extensions?.serviceName }))).toEqual(
      paths.map((path) => ({ path, code: 'SUBGRAPH_UNAVAILABLE', service: subgraph })),
    );
  };

  it('refused: an entity field from it is missing with a code; the other root fields arrive', async () => {
    const url = await gatewayWith({ SUBGRAPH_RECOMMENDATIONS_URL: `http://127.0.0.1:${await freePort()}/graphql` });
    const answer = await postGraphQL(
      url,
      `query($id: ID!) { categories { id } product(id: $id) { id name recommendations(first: 2) { id } } }`,
      { id: productId },
    );
    expectUnavailableAt(answer, [['product', 'recommendations']], 'recommendations');
    expect(answer.errors![0]!.message).toMatch(/recommendations service did not answer \(connection failed/);
    // recommendations is a non-null list: its product reads null (GraphQL's null propagation),
    // and the other root field is all there.
    expect(answer.data).toEqual({ categories: expect.arrayContaining([expect.objectContaining({ id: 'headphones' })]), product: null });
  });

  it('refused: a nullable root field from it reads null with a code; the rest arrives', async () => {
    const url = await gatewayWith({ SUBGRAPH_ORDERS_URL: `http://127.0.0.1:${await freePort()}/graphql` });
    const shopper = await mintCaller(graph);
    const answer = await postGraphQL(url, `{ categories { id } order(id: "o-1") { id } }`, {}, shopper.headers);
    expectUnavailableAt(answer, [['order']], 'orders');
    expect(answer.data).toEqual({ categories: expect.any(Array), order: null });
  });

  it('stuck: its own deadline ends the wait, with the same answer', async () => {
    const stuckUrl = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/graphql`;
    const url = await gatewayWith({ SUBGRAPH_RECOMMENDATIONS_URL: stuckUrl, SUBGRAPH_RECOMMENDATIONS_TIMEOUT_MS: '300' });
    const answer = await postGraphQL(
      url,
      `query($id: ID!) { categories { id } product(id: $id) { id recommendations(first: 2) { id } } }`,
      { id: productId },
    );
    expectUnavailableAt(answer, [['product', 'recommendations']], 'recommendations');
    expect(answer.errors![0]!.message).toMatch(/no answer within its timeout/);
    expect(answer.data).toEqual({ categories: expect.any(Array), product: null });
    expect(stuckRequests.length).toBeGreaterThan(0);
  });

  it('refuses a malformed per-subgraph timeout at start-up', async () => {
    await expect(gatewayWith({ SUBGRAPH_SUPPORT_TIMEOUT_MS: 'soon' })).rejects.toThrow(/SUBGRAPH_SUPPORT_TIMEOUT_MS/);
  });
});
