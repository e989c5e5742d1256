// The runtime's batch helpers (@cloudmart/runtime dynamodb/batch.ts) against DynamoDB Local: at most 100 keys per BatchGetItem, 25 items per
// BatchWriteItem, and unprocessed keys asked for again until every item is read.
import { batchGetAll, batchWriteAll } from '@cloudmart/runtime';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { dynamoCalls, openProductsData, type ProductsData } from '../src/data';

describe('DynamoDB batch helpers', () => {
  let dynamo: TestDynamoDb;
  let data: ProductsData;
  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    data = await openProductsData({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: `${dynamo.tablePrefix}batch-`,
    });
  });
  afterAll(async () => {
    data?.close();
    await dynamo?.stop();
  });

  it('writes 25 items a call and reads 100 keys a call', async () => {
    const items = Array.from({ length: 260 }, (_, i) => ({ id: `small-${i}`, n: i }));
    dynamoCalls.reset();
    await batchWriteAll(
      data.client,
      items.map((item) => ({ table: data.tables.products, item })),
    );
    expect(dynamoCalls.count('BatchWriteItem', data.tables.products)).toBe(Math.ceil(260 / 25));

    dynamoCalls.reset();
    const found = await batchGetAll(
      data.client,
      data.tables.products,
      items.map(({ id }) => ({ id })),
    );
    expect(found.map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
    expect(dynamoCalls.count('BatchGetItem', data.tables.products)).toBe(3);
  });

  it('asks again for the keys DynamoDB leaves unprocessed (a response is capped at 16 MB)', async () => {
    // 60 items of ~380 KB: about 22 MB, more than one BatchGetItem response may carry.
    const blob = 'x'.repeat(380_000);
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `big-${i}`, blob }));
    await batchWriteAll(
      data.client,
      items.map((item) => ({ table: data.tables.products, item })),
      { concurrency: 1 },
    );

    dynamoCalls.reset();
    const found = await batchGetAll(
      data.client,
      data.tables.products,
      items.map(({ id }) => ({ id })),
    );
    expect(found).toHaveLength(60);
    expect(new Set(found.map((item) => item.id)).size).toBe(60);
    expect(dynamoCalls.count('BatchGetItem', data.tables.products)).toBeGreaterThan(1);
  });
});
