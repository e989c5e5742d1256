// AWS Lambda's Amazon MSK event, as AWS documents it, for tests of the functions on an MSK event
// source mapping (@cloudmart/runtime/lambda's mskEventHandler and the consumers built on it):
// records grouped by "<topic>-<partition>", key and value in base64.
import type { EventEnvelope } from '@cloudmart/runtime';
import type { MskEvent, MskRecord } from '@cloudmart/runtime/lambda';

/** One record as the mapping delivers it; a string value is sent as is (e.g. a poisoned record). */
export function mskRecord(topic: string, partition: number, offset: number, value: EventEnvelope | string): MskRecord {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    topic,
    partition,
    offset,
    timestamp: 1_764_583_200_000 + offset,
    timestampType: 'CREATE_TIME',
    key: Buffer.from(typeof value === 'string' ? 'k' : value.orderId).toString('base64'),
    value: Buffer.from(text, 'utf8').toString('base64'),
    headers: [{ type: [...Buffer.from(typeof value === 'string' ? 'unknown' : value.type)] }],
  };
}

/** The event of one invocation holding `records` (of any partitions). */
export function mskEvent(records: MskRecord[]): MskEvent {
  const byPartition: Record<string, MskRecord[]> = {};
  for (const one of records) (byPartition[`${one.topic}-${one.partition}`] ??= []).push(one);
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:111122223333:cluster/cloudmart-prod/0d1e2f3a-1111-2222-3333-444455556666-2',
    bootstrapServers: 'b-1.cloudmart.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.cloudmart.abc123.c2.kafka.us-east-1.amazonaws.com:9098',
    records: byPartition,
  };
}
