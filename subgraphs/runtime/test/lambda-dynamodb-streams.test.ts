// The DynamoDB Streams event source mapping's handler, on events in AWS's documented shape: each
// record reaches the consumer as the SDK's StreamRecord (what the in-cluster follower hands on:
// binary attributes as bytes, the creation time as a Date); the first record that fails stops the
// batch and is named by its sequence number, so Lambda resumes from it; the redelivery completes
// the shard in order.
import { createLogger, type StreamRecord } from '@cloudmart/runtime';
import { dynamoDbStreamHandler, type DynamoDbStreamEvent, type DynamoDbStreamEventRecord } from '@cloudmart/runtime/lambda';

const log = createLogger('lambda-ddb-test', 'silent');
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/cloudmart-products/stream/2026-12-01T00:00:00.000';

/** A product whose ratingCount moved from `before` to `after`, as Lambda delivers the stream record. */
function ratingCountChange(id: string, before: number, after: number, sequenceNumber: string): DynamoDbStreamEventRecord {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: 1_764_583_200,
      Keys: { id: { S: id } },
      OldImage: { id: { S: id }, ratingCount: { N: String(before) } },
      NewImage: { id: { S: id }, ratingCount: { N: String(after) } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 59,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const streamEvent = (records: DynamoDbStreamEventRecord[]): DynamoDbStreamEvent => ({ Records: records });

describe('dynamoDbStreamHandler', () => {
  it('hands each record on as the SDK reads it: bytes for binary values, nested maps and lists, a Date', async () => {
    const received: StreamRecord[] = [];
    const lambda = dynamoDbStreamHandler({ handle: async (record) => void received.push(record), log });
    const insert: DynamoDbStreamEventRecord = {
      ...ratingCountChange('p-1', 0, 1, '100'),
      eventName: 'INSERT',
      dynamodb: {
        ApproximateCreationDateTime: 1_764_583_200,
        Keys: { id: { S: 'p-1' } },
        NewImage: {
          id: { S: 'p-1' },
          thumbnail: { B: Buffer.from([1, 2, 3]).toString('base64') },
          variants: { L: [{ M: { width: { N: '200' }, hash: { BS: [Buffer.from([9]).toString('base64')] } } }] },
          tags: { SS: ['red', 'sale'] },
          discontinued: { BOOL: false },
          note: { NULL: true },
        },
        SequenceNumber: '100',
        SizeBytes: 80,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect(await lambda(streamEvent([insert]))).toEqual({ batchItemFailures: [] });
    expect(received).toEqual([
      {
        eventID: 'event-100',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2025-12-01T10:00:00Z'),
          Keys: { id: { S: 'p-1' } },
          NewImage: {
            id: { S: 'p-1' },
            thumbnail: { B: new Uint8Array([1, 2, 3]) },
            variants: { L: [{ M: { width: { N: '200' }, hash: { BS: [new Uint8Array([9])] } } }] },
            tags: { SS: ['red', 'sale'] },
            discontinued: { BOOL: false },
            note: { NULL: true },
          },
          OldImage: undefined,
          SequenceNumber: '100',
          SizeBytes: 80,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
    ]);
  });

  it('stops at the first record that fails and reports its sequence number; the redelivery from it completes the shard in order', async () => {
    const records = [
      ratingCountChange('p-1', 0, 1, '100'),
      ratingCountChange('p-2', 3, 4, '200'),
      ratingCountChange('p-3', 1, 2, '300'),
      ratingCountChange('p-1', 1, 2, '400'),
    ];
    const handled: string[] = [];
    let storeDown = true;
    const lambda = dynamoDbStreamHandler({
      handle: async (record) => {
        const sequenceNumber = record.dynamodb!.SequenceNumber!;
        if (storeDown && sequenceNumber === '200') throw new Error('the analyser is unavailable');
        handled.push(sequenceNumber);
      },
      log,
    });

    expect(await lambda(streamEvent(records))).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(handled).toEqual(['100']);

    storeDown = false;
    expect(await lambda(streamEvent(records.slice(1)))).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['100', '200', '300', '400']);
  });

  it('rejects an event that is not a DynamoDB Streams event (Lambda then retries the whole batch)', async () => {
    const lambda = dynamoDbStreamHandler({ handle: async () => undefined, log });
    const kinesis = { ...ratingCountChange('p-1', 0, 1, '1'), eventSource: 'aws:kinesis' };
    await expect(lambda(streamEvent([kinesis as unknown as DynamoDbStreamEventRecord]))).rejects.toThrow(/aws:dynamodb/);
  });
});
