// Review sentiment as a DynamoDB Streams Lambda on the products table's stream, on DynamoDB Local
// with the local analyser, fed events in AWS's documented shape: each rise of a product's
// ratingCount names its new reviews, which get their sentiment stored; a review the analyser
// refuses is stored FAILED; an analyser outage, or a review not readable yet, stops the batch at
// that record and names its sequence number, and the redelivery from it finishes the work.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createLogger, ensureTables, tableName } from '@cloudmart/runtime';
import type { DynamoDbStreamEvent, DynamoDbStreamEventRecord } from '@cloudmart/runtime/lambda';
import { startTestDynamoDb, type TestDynamoDb } from '@cloudmart/test-kit';
import { productsTables, reviewSortKey } from '@cloudmart/products/contract';
import { insightsTables } from '../src/contract';
import { ReviewReader } from '../src/data/review-reader';
import { SentimentStore } from '../src/data/sentiment-store';
import { reviewSentimentHandler } from '../src/lambda/review-sentiment';
import { LocalSentimentAnalyzer } from '../src/services/sentiment/local';
import type { SentimentAnalyzer, SentimentDocument } from '../src/services/sentiment/sentiment';
import { SentimentWorker } from '../src/workers/sentiment-worker';

const log = createLogger('insights-lambda-test', 'silent');
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/cloudmart-products/stream/2026-12-01T00:00:00.000';

/** The products table's stream record when a review moved the product's ratingCount from `before` to `after`. */
function ratingCountChange(productId: string, before: number, after: number, sequenceNumber: string): DynamoDbStreamEventRecord {
  const image = (ratingCount: number) => ({
    id: { S: productId },
    name: { S: `Product ${productId}` },
    ratingCount: { N: String(ratingCount) },
    ratingSum: { N: String(ratingCount * 4) },
  });
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: before === 0 ? 'INSERT' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: 1_764_583_200,
      Keys: { id: { S: productId } },
      ...(before === 0 ? {} : { OldImage: image(before) }),
      NewImage: image(after),
      SequenceNumber: sequenceNumber,
      SizeBytes: 120,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const streamEvent = (records: DynamoDbStreamEventRecord[]): DynamoDbStreamEvent => ({ Records: records });

/** The local analyser, refusing the documents `refuse` picks and failing whole calls while `down` says so. */
class ControlledAnalyzer implements SentimentAnalyzer {
  readonly name = 'local';
  private readonly local = new LocalSentimentAnalyzer();
  calls: string[][] = [];

  constructor(
    private readonly refuse: (document: SentimentDocument) => boolean,
    private readonly down: (documents: readonly SentimentDocument[]) => boolean = () => false,
  ) {}

  async analyze(documents: readonly SentimentDocument[]) {
    this.calls.push(documents.map((document) => document.id));
    if (this.down(documents)) throw new Error('the analyser is unavailable');
    const results = await this.local.analyze(documents.filter((document) => !this.refuse(document)));
    for (const document of documents.filter(this.refuse)) {
      results.set(document.id, { error: { code: 'InvalidDocument', message: 'The document cannot be analysed.' } });
    }
    return results;
  }
}

describe('the review sentiment Lambda', () => {
  let dynamo: TestDynamoDb;
  let client: ReturnType<typeof createDocumentClient>;
  let store: SentimentStore;
  let reviews: ReviewReader;
  let reviewsTable: string;

  const putReview = (productId: string, seq: number, id: string, title: string, body: string) =>
    client.send(
      new PutCommand({
        TableName: reviewsTable,
        Item: { productId, sk: reviewSortKey(seq), seq, id, userId: 'u', rating: 3, title, body, createdAt: new Date().toISOString() },
      }),
    );

  beforeAll(async () => {
    dynamo = await startTestDynamoDb();
    const prefix = `${dynamo.tablePrefix}lambda-sentiment-`;
    reviewsTable = tableName(prefix, productsTables.productReviews);
    client = createDocumentClient({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, DYNAMODB_TABLE_PREFIX: prefix });
    await ensureTables(client, prefix, [productsTables.productReviews, insightsTables.reviewSentiment]);
    store = new SentimentStore(client, tableName(prefix, insightsTables.reviewSentiment));
    reviews = new ReviewReader(client, reviewsTable);
  });
  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });

  it('stores the sentiment of each new review a record announces, FAILED for one the analyser refuses', async () => {
    await putReview('lp-1', 1, 'lr-1', 'Excellent', 'I love it, it is wonderful and works great.');
    await putReview('lp-1', 2, 'lr-2', 'Awful', 'Terrible, it broke after a day. I hate it.');
    await putReview('lp-2', 1, 'lr-3', 'Refused', 'The analyser will not take this one.');
    const analyzer = new ControlledAnalyzer((document) => document.id === 'lr-3');
    const lambda = reviewSentimentHandler({ worker: new SentimentWorker(reviews, store, analyzer, log), log });

    const response = await lambda(
      streamEvent([
        ratingCountChange('lp-1', 0, 2, '1000'), // two reviews in one record
        ratingCountChange('lp-2', 0, 1, '1100'),
        // A change that announces no review (a rename): nothing to do.
        { ...ratingCountChange('lp-2', 1, 1, '1200'), eventName: 'MODIFY' },
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const stored = await store.getMany(['lr-1', 'lr-2', 'lr-3']);
    expect(stored.get('lr-1')).toMatchObject({ productId: 'lp-1', status: 'ANALYSED', label: 'POSITIVE', analyzer: 'local' });
    expect(stored.get('lr-2')).toMatchObject({ productId: 'lp-1', status: 'ANALYSED', label: 'NEGATIVE' });
    expect(stored.get('lr-3')).toMatchObject({ productId: 'lp-2', status: 'FAILED', error: { code: 'InvalidDocument' } });

    // Redelivered (at least once): nothing is analysed again.
    analyzer.calls = [];
    expect(await lambda(streamEvent([ratingCountChange('lp-1', 0, 2, '1000')]))).toEqual({ batchItemFailures: [] });
    expect(analyzer.calls).toEqual([]);
  });

  it('reports the record whose reviews the analyser could not reach, stops there, and the redelivery from it finishes', async () => {
    await putReview('lp-3', 1, 'lr-4', 'Good', 'Nice and solid, I like it.');
    await putReview('lp-4', 1, 'lr-5', 'Great', 'Great value, I love it.');
    await putReview('lp-5', 1, 'lr-6', 'Fine', 'Does the job well.');
    let outage = true;
    const analyzer = new ControlledAnalyzer(
      () => false,
      (documents) => outage && documents.some((document) => document.id === 'lr-5'),
    );
    const lambda = reviewSentimentHandler({ worker: new SentimentWorker(reviews, store, analyzer, log), log });
    const records = [
      ratingCountChange('lp-3', 0, 1, '2000'),
      ratingCountChange('lp-4', 0, 1, '2100'),
      ratingCountChange('lp-5', 0, 1, '2200'),
    ];

    expect(await lambda(streamEvent(records))).toEqual({ batchItemFailures: [{ itemIdentifier: '2100' }] });
    const afterOutage = await store.getMany(['lr-4', 'lr-5', 'lr-6']);
    expect([...afterOutage.keys()]).toEqual(['lr-4']);
    // The record after the failed one was not worked on: it comes again after it.
    expect(analyzer.calls.flat()).not.toContain('lr-6');

    outage = false;
    expect(await lambda(streamEvent(records.slice(1)))).toEqual({ batchItemFailures: [] });
    const done = await store.getMany(['lr-4', 'lr-5', 'lr-6']);
    expect([...done.values()].map((item) => [item.reviewId, item.status])).toEqual(
      expect.arrayContaining([
        ['lr-4', 'ANALYSED'],
        ['lr-5', 'ANALYSED'],
        ['lr-6', 'ANALYSED'],
      ]),
    );
  });

  it('reports a record whose review is not readable yet; once it is, the redelivery stores it', async () => {
    const lambda = reviewSentimentHandler({
      worker: new SentimentWorker(reviews, store, new ControlledAnalyzer(() => false), log),
      log,
    });
    const announced = ratingCountChange('lp-6', 0, 1, '3000');
    expect(await lambda(streamEvent([announced]))).toEqual({ batchItemFailures: [{ itemIdentifier: '3000' }] });
    expect((await store.getMany(['lr-7'])).size).toBe(0);

    await putReview('lp-6', 1, 'lr-7', 'Late', 'Arrived late but works well.');
    expect(await lambda(streamEvent([announced]))).toEqual({ batchItemFailures: [] });
    expect((await store.getMany(['lr-7'])).get('lr-7')).toMatchObject({ productId: 'lp-6', status: 'ANALYSED' });
  });
});
