import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { allTables } from '@cloudmart/scripts/deploy/contracts';
import { createDocumentClient, ensureTables, tableName, type TableDefinition } from '../src/dynamodb';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';

describe('ensureTables', () => {
  let dynamo: TestDynamoDb;
  const client = () =>
    createDocumentClient({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: '',
    });
  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
  });
  afterAll(() => dynamo?.stop());

  it('creates every table once even when several processes race, with keys, indexes, streams and TTL', async () => {
    const race = `${dynamo.tablePrefix}race-`;
    const definitions: TableDefinition[] = [
      ...Object.values(allTables),
      {
        suffix: 'sessions',
        owner: 'test',
        partitionKey: { name: 'id', type: 'S' },
        globalSecondaryIndexes: [
          { name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'at', type: 'N' } },
        ],
        ttlAttribute: 'expiresAt',
      },
    ];
    const clients = [client(), client(), client()];
    const created = await Promise.all(clients.map((c) => ensureTables(c, race, definitions)));
    // Every table was created by exactly one of the racers.
    expect(created.flat().sort()).toEqual(definitions.map((d) => tableName(race, d)).sort());
    // And again, with nothing left to do.
    await expect(ensureTables(clients[0]!, race, definitions)).resolves.toEqual([]);

    const products = await clients[0]!.send(new DescribeTableCommand({ TableName: `${race}products` }));
    expect(products.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(products.Table?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const reviews = await clients[0]!.send(new DescribeTableCommand({ TableName: `${race}product-reviews` }));
    expect(reviews.Table?.KeySchema?.map((key) => key.KeyType)).toEqual(['HASH', 'RANGE']);
    const sessions = await clients[0]!.send(new DescribeTableCommand({ TableName: `${race}sessions` }));
    expect(sessions.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byUser']);
    const ttl = await clients[0]!.send(new DescribeTimeToLiveCommand({ TableName: `${race}sessions` }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
    for (const c of clients) c.destroy();
  });

  it('refuses to start on a table whose keys differ from its definition', async () => {
    const c = client();
    const clash = `${dynamo.tablePrefix}clash-`;
    await ensureTables(c, clash, [
      { suffix: 't', owner: 'test', partitionKey: { name: 'id', type: 'S' } },
    ]);
    await expect(
      ensureTables(c, clash, [{ suffix: 't', owner: 'test', partitionKey: { name: 'pk', type: 'S' } }]),
    ).rejects.toThrow(/clash-t exists with key schema/);
    c.destroy();
  });
});
