// A table stream's consumer as an AWS Lambda function on a DynamoDB Streams event source mapping:
// each record of AWS's documented event is turned into the StreamRecord the in-cluster follower
// (dynamodb/stream-follower.ts) hands its consumer, and given to the same per-record code.
//
// The records of one invocation come from one shard, in its order. They are handled one after the
// other; the first that fails stops the batch, and the answer names its sequence number
// (`batchItemFailures: [{ itemIdentifier: SequenceNumber }]`, with ReportBatchItemFailures on the
// mapping): Lambda checkpoints before it and delivers it, and everything after it, again. So a
// record is never handled before an earlier one of its shard, and a record that keeps failing is
// bounded by the mapping's retries, bisection and on-failure destination.
import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { z } from 'zod';
import type { StreamRecord } from '../dynamodb/stream-follower';
import type { Logger } from '../logger';

/** An attribute value as JSON carries it: binary values (B, BS) in base64. */
type JsonAttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, JsonAttributeValue> }
  | { L: JsonAttributeValue[] }
  | { NULL: boolean }
  | { BOOL: boolean };

const jsonAttributeValueSchema: z.ZodType<JsonAttributeValue> = z.lazy(() =>
  z.union([
    z.strictObject({ S: z.string() }),
    z.strictObject({ N: z.string() }),
    z.strictObject({ B: z.string() }),
    z.strictObject({ SS: z.array(z.string()) }),
    z.strictObject({ NS: z.array(z.string()) }),
    z.strictObject({ BS: z.array(z.string()) }),
    z.strictObject({ M: z.record(z.string(), jsonAttributeValueSchema) }),
    z.strictObject({ L: z.array(jsonAttributeValueSchema) }),
    z.strictObject({ NULL: z.boolean() }),
    z.strictObject({ BOOL: z.boolean() }),
  ]),
);

const imageSchema = z.record(z.string(), jsonAttributeValueSchema);

const dynamoDbStreamRecordSchema = z.object({
  eventID: z.string(),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  eventVersion: z.string().optional(),
  eventSource: z.literal('aws:dynamodb'),
  awsRegion: z.string().optional(),
  eventSourceARN: z.string(),
  dynamodb: z.object({
    /** Epoch seconds (the SDK's GetRecords gives a Date). */
    ApproximateCreationDateTime: z.number().optional(),
    Keys: imageSchema,
    NewImage: imageSchema.optional(),
    OldImage: imageSchema.optional(),
    SequenceNumber: z.string().min(1),
    SizeBytes: z.number().optional(),
    StreamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
  }),
});

const dynamoDbStreamEventSchema = z.object({ Records: z.array(dynamoDbStreamRecordSchema) });

/** AWS Lambda's DynamoDB Streams event. */
export type DynamoDbStreamEvent = z.input<typeof dynamoDbStreamEventSchema>;
export type DynamoDbStreamEventRecord = z.input<typeof dynamoDbStreamRecordSchema>;

/** The partial batch response of a DynamoDB Streams event source mapping: the first failed record's sequence number. */
export interface StreamsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface DynamoDbStreamHandlerOptions {
  /** The in-cluster follower's consumer, for one record: resolves once it is handled; throws to get it again. */
  handle(record: StreamRecord): Promise<void>;
  log: Logger;
}

const fromBase64 = (value: string) => new Uint8Array(Buffer.from(value, 'base64'));

function attributeValueOf(value: JsonAttributeValue): AttributeValue {
  if ('B' in value) return { B: fromBase64(value.B) };
  if ('BS' in value) return { BS: value.BS.map(fromBase64) };
  if ('M' in value) return { M: imageOf(value.M) };
  if ('L' in value) return { L: value.L.map(attributeValueOf) };
  // S, N, SS, NS, NULL and BOOL read the same in JSON and in the SDK.
  return value;
}

function imageOf(image: Record<string, JsonAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, attributeValueOf(value)]));
}

/** A Lambda event's record as the SDK's GetRecords returns it (what the stream follower hands on). */
export function streamRecordOf(record: z.infer<typeof dynamoDbStreamRecordSchema>): StreamRecord {
  const { dynamodb } = record;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb: {
      ApproximateCreationDateTime:
        dynamodb.ApproximateCreationDateTime === undefined ? undefined : new Date(dynamodb.ApproximateCreationDateTime * 1000),
      Keys: imageOf(dynamodb.Keys),
      NewImage: dynamodb.NewImage && imageOf(dynamodb.NewImage),
      OldImage: dynamodb.OldImage && imageOf(dynamodb.OldImage),
      SequenceNumber: dynamodb.SequenceNumber,
      SizeBytes: dynamodb.SizeBytes,
      StreamViewType: dynamodb.StreamViewType,
    },
  };
}

/** The handler of a DynamoDB Streams event source mapping over a stream consumer's per-record code. */
export function dynamoDbStreamHandler({
  handle,
  log,
}: DynamoDbStreamHandlerOptions): (event: DynamoDbStreamEvent) => Promise<StreamsBatchResponse> {
  return async (event) => {
    for (const record of dynamoDbStreamEventSchema.parse(event).Records) {
      try {
        await handle(streamRecordOf(record));
      } catch (error) {
        const sequenceNumber = record.dynamodb.SequenceNumber;
        log.error(
          { err: error, eventID: record.eventID, sequenceNumber, eventSourceARN: record.eventSourceARN },
          'handling a table stream record failed: the stream resumes from it',
        );
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
