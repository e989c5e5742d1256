import { execFileSync } from 'node:child_process';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local';

describe('DynamoDB Local launcher', () => {
  let dynamo: DynamoDbLocal;
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
  });
  afterAll(() => dynamo?.stop());

  it('answers the AWS SDK', async () => {
    const client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: 't-' });
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
  });

  it('listens on 127.0.0.1 only', () => {
    const listeners = execFileSync('ss', ['-Hltn', `sport = :${dynamo.port}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3]);
    expect(listeners).toEqual([`127.0.0.1:${dynamo.port}`]);
  });
});
