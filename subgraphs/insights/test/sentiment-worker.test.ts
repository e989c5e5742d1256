// The sentiment worker on DynamoDB Local with the Azure adapter against the local :analyze-text
// server: a batch that fails (the service down, here 500s with the SDK's own retries off) is
// retried with backoff until it succeeds; a document the service refuses is stored as FAILED;
// the catch-up pass queues only the reviews without a sentiment.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createLogger, ensureTables, tableName } from '@cloudmart/runtime';
import { startTestDynamoDb, type TestDynamoDb, waitFor } from '@cloudmart/test-kit';
import { productsTables, reviewSortKey } from '@cloudmart/products/contract';
import { insightsTables } from '../src/contract';
import { ReviewReader } from '../src/data/review-reader';
import { SentimentStore } from '../src/data/sentiment-store';
import { SentimentWorker } from '../src/workers/sentiment-worker';
import { AzureSentimentAnalyzer } from '../src/services/sentiment/azure';
import { FakeAzureLanguageServer } from './fakes/azure-language-server';

const log = createLogger('insights-test', 'silent');

describe('sentiment worker', () => {
  let dynamo: TestDynamoDb;
  let fake: FakeAzureLanguageServer;
  let client: ReturnType<typeof createDocumentClient>;
  let store: SentimentStore;
  let reviews: ReviewReader;
  let reviewsTable: string;

  const putReview = (productId: string, seq: number, id: string, body: string) =>
    client.send(
      new PutCommand({
        TableName: reviewsTable,
        Item: {
          productId,
          sk: reviewSortKey(seq),
          seq,
          id,
          userId: 'u',
          rating: 3,
          title: 'Title',
          body,
          createdAt: new Date().toISOString(),
        },
      }),
    );

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    const prefix = `${dynamo.tablePrefix}worker-`;
    reviewsTable = tableName(prefix, productsTables.productReviews);
    client = createDocumentClient({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      DYNAMODB_TABLE_PREFIX: prefix,
    });
    await ensureTables(client, prefix, [productsTables.productReviews, insightsTables.reviewSentiment]);
    store = new SentimentStore(client, tableName(prefix, insightsTables.reviewSentiment));
    reviews = new ReviewReader(client, reviewsTable);
    fake = await new FakeAzureLanguageServer(
      'key',
      (text) =>
        /love/.test(text)
          ? { sentiment: 'positive', positive: 0.9, neutral: 0.1, negative: 0 }
          : { sentiment: 'negative', positive: 0, neutral: 0.2, negative: 0.8 },
      (text) => (/qwzx/.test(text) ? 'xx' : 'en'),
    ).start();
  });
  afterAll(async () => {
    await fake?.stop();
    client?.destroy();
    await dynamo?.stop();
  });

  it('retries a failed batch with backoff until the analyser answers, and stores refused documents as FAILED', async () => {
    await putReview('p1', 1, 'r1', 'I love it');
    await putReview('p1', 2, 'r2', 'It broke');
    await putReview('p1', 3, 'r3', 'qwzx qwzx'); // a language the service does not support
    fake.failures = 3; // the service fails three requests in a row
    const worker = new SentimentWorker(
      reviews,
      store,
      new AzureSentimentAnalyzer({ endpoint: fake.endpoint, key: 'key', maxRetries: 0 }),
      log,
    );
    worker.enqueue([1, 2, 3].map((seq) => ({ productId: 'p1', seq })));
    await waitFor(
      'the reviews to be analysed',
      async () => (await store.getMany(['r1', 'r2', 'r3'])).size === 3,
      30_000,
    );
    await worker.stop();
    expect(fake.calls.filter((call) => call.status === 500)).toHaveLength(3);
    const stored = await store.getMany(['r1', 'r2', 'r3']);
    expect(stored.get('r1')).toMatchObject({
      status: 'ANALYSED',
      label: 'POSITIVE',
      score: 0.9,
      analyzer: 'azure',
    });
    expect(stored.get('r2')).toMatchObject({ status: 'ANALYSED', label: 'NEGATIVE', score: -0.8 });
    expect(stored.get('r3')).toMatchObject({ status: 'FAILED', error: { code: 'UnsupportedLanguageCode' } });
    expect((await store.byProduct('p1')).map((item) => item.reviewId).sort()).toEqual(['r1', 'r2', 'r3']);
  });

  it('catches up on the reviews without a sentiment, and only those', async () => {
    await putReview('p2', 1, 'r4', 'I love the colour');
    fake.calls.length = 0;
    const worker = new SentimentWorker(
      reviews,
      store,
      new AzureSentimentAnalyzer({ endpoint: fake.endpoint, key: 'key', maxRetries: 0 }),
      log,
    );
    await worker.catchUp();
    await worker.idle();
    await worker.stop();
    expect((await store.getMany(['r4'])).get('r4')).toMatchObject({ label: 'POSITIVE' });
    const analysed = fake.calls
      .filter((call) => call.kind === 'SentimentAnalysis')
      .flatMap((call) => call.documents.map((d) => d.id));
    expect(analysed).toEqual(['r4']);
  });
});
