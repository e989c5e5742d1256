// Review is an entity (other subgraphs add fields to it, e.g. insights' sentiment): the products
// subgraph resolves Review references by id through the sparse `byId` index and a DataLoader —
// one batch of index queries and one BatchGetItem of the reviews, whatever the number of ids.
import { randomUUID } from 'node:crypto';
import { dynamoConfigSchema, loadConfig, type RunningServer } from '@cloudmart/runtime';
import {
  asGateway,
  dataOf,
  type TestDynamoDb,
  makeTempDir,
  postGraphQL,
  startTestDynamoDb,
} from '@cloudmart/test-kit';
import { dynamoCalls } from '../src/data';
import { productTablesFor } from '../src/data/dynamo';
import { start } from '../src/server';

describe('Review entity references', () => {
  const temp = makeTempDir('review-entity');
  let dynamo: TestDynamoDb;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    env = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: temp.dir,
      PORT: '0',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: dynamo.tablePrefix,
    };
    server = await start(env);
  });
  afterAll(async () => {
    await server?.stop();
    await dynamo?.stop();
    temp.remove();
  });

  /** Called as the gateway calls it: with its internal token for the caller (null: a guest). */
  const token = (role: 'ADMIN' | 'CUSTOMER' | null) =>
    asGateway(env, role ? { userId: randomUUID(), role } : null);

  it('resolves reviews by id in one batch, null for an unknown id', async () => {
    const admin = await token('ADMIN');
    const created = dataOf(
      await postGraphQL<{ createProduct: { id: string } }>(
        server.url,
        'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `REV-${randomUUID()}`,
            name: 'Reviewed',
            description: 'A product with reviews.',
            brand: 'Brand',
            category: 'headphones',
            price: { amount: 1_000, currency: 'USD' },
            stock: 1,
          },
        },
        admin,
      ),
    ).createProduct;
    const ids: string[] = [];
    for (const rating of [5, 3, 1]) {
      const review = dataOf(
        await postGraphQL<{ addReview: { id: string } }>(
          server.url,
          'mutation($p: ID!, $r: Int!) { addReview(productId: $p, rating: $r, title: "T", body: "B") { id } }',
          { p: created.id, r: rating },
          await token('CUSTOMER'),
        ),
      ).addReview;
      ids.push(review.id);
    }
    const representations = [...ids, 'no-such-review'].map((id) => ({ __typename: 'Review', id }));
    dynamoCalls.reset();
    const response = await postGraphQL<{
      _entities: ({ id: string; rating: number; product: { id: string } } | null)[];
    }>(
      server.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id rating product { id } } } }',
      { r: representations },
      await token(null),
    );
    expect(dataOf(response)._entities).toEqual([
      { id: ids[0], rating: 5, product: { id: created.id } },
      { id: ids[1], rating: 3, product: { id: created.id } },
      { id: ids[2], rating: 1, product: { id: created.id } },
      null,
    ]);
    const tables = productTablesFor(loadConfig(dynamoConfigSchema, env).DYNAMODB_TABLE_PREFIX);
    // An index cannot be batch-read: one Query per id, sent together; then one BatchGetItem.
    expect(dynamoCalls.snapshot()[`Query ${tables.reviews}`]).toBe(4);
    expect(dynamoCalls.snapshot()[`BatchGetItem ${tables.reviews}`]).toBe(1);
  });
});
