// The demo path end to end: with SEED_DEMO_DATA, the products service seeds the catalog, the orders
// service seeds an order history in the background, its outbox relay publishes the events, and the
// recommendations consumer learns from them — then answers from that history.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, loadConfig, dynamoConfigSchema } from '@cloudmart/runtime';
import {
  dataOf,
  eventually,
  mintCaller,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
  viaGateway,
} from '@cloudmart/test-kit';

const ORDERS = 120;

describe('recommendations from the seeded demo history', () => {
  let graph: TestSupergraph;

  beforeAll(async () => {
    graph = await startTestSupergraph({
      env: { SEED_DEMO_DATA: 'true', SEED_PRODUCT_COUNT: '140', SEED_ORDER_COUNT: String(ORDERS) },
      only: ['users', 'products', 'payments', 'orders', 'recommendations'],
    });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  async function purchases(): Promise<{ userId: string; productIds: string[] }[]> {
    const config = loadConfig(dynamoConfigSchema, graph.env);
    const client = createDocumentClient(config);
    try {
      const items: { userId: string; productIds: string[] }[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: `${config.DYNAMODB_TABLE_PREFIX}recommendation-purchases`,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...((page.Items ?? []) as { userId: string; productIds: string[] }[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    } finally {
      client.destroy();
    }
  }

  it('learns every seeded order from the bus and recommends from it', async () => {
    const learned = await eventually(async () => {
      const items = await purchases();
      expect(items).toHaveLength(ORDERS);
      return items;
    });

    // A seeded shopper (not an account: the history is synthetic), asked for by an admin.
    const shopper = learned.reduce((best, item) =>
      item.productIds.length > best.productIds.length ? item : best,
    );
    const bought = new Set(
      learned.filter((item) => item.userId === shopper.userId).flatMap((item) => item.productIds),
    );
    const admin = await mintCaller(graph, 'ADMIN');
    const response = await postGraphQL<{ _entities: { recommendations: { id: string }[] }[] }>(
      graph.subgraphUrls.recommendations!,
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recommendations(first: 10) { id } } } }',
      { reps: [{ __typename: 'User', id: shopper.userId }] },
      await viaGateway(graph, admin),
    );
    const forShopper = dataOf(response)._entities[0]!.recommendations.map((product) => product.id);
    expect(forShopper).toHaveLength(10);
    expect(forShopper.filter((id) => bought.has(id))).toEqual([]);

    const productId = shopper.productIds[0]!;
    const similar = await postGraphQL<{
      product: { recommendations: { id: string; inventory: { available: number } }[] };
    }>(
      graph.gatewayUrl,
      'query($id: ID!) { product(id: $id) { recommendations { id inventory { available } } } }',
      {
        id: productId,
      },
    );
    const list = dataOf(similar).product.recommendations;
    expect(list).toHaveLength(8);
    expect(list.map((product) => product.id)).not.toContain(productId);
    expect(list.every((product) => product.inventory.available > 0)).toBe(true);
  });
});
