// A Kafka consumer as an AWS Lambda function on an Amazon MSK event source mapping: each record's
// value is read with the topic's TopicSpec and handed to the same EventHandler the in-cluster
// consumer (the event bus's subscribe) calls, so a consumer runs in either place on one code path.
//
// The event (AWS's documented MSK event): `records` maps "<topic>-<partition>" to that partition's
// records, each with its offset and its value in base64. The answer is a partial batch response
// (the mapping's FunctionResponseTypes must hold ReportBatchItemFailures): for Kafka, Lambda reads
// each batch item failure as "resume this partition from this offset", its itemIdentifier being
// `{ partition: "<topic>-<partition>", offset }`; partitions not named are committed whole.
//
// Per partition, in offset order (one order's events share a partition, keyed by orderId):
// - a record the handler fails on (it threw: a store away) is that partition's resume point, and
//   the records after it are not handled now: they come again after it, never before it;
// - a record that cannot be read (not JSON, not the envelope: poisoned) is reported too, so the
//   mapping's retries and then its on-failure destination get it, but retrying cannot help it, so
//   the records after it are still handled (they are delivered again with it, and handlers are
//   idempotent: delivery is at least once). The in-cluster bus only logs and skips such a record;
//   here it reaches the failure queue an operator reads.
// Partitions are handled concurrently, a bounded number at a time. Nothing is thrown for a record:
// a throw would make Lambda retry (or, with BisectBatchOnFunctionError, split) the whole batch.
import { z } from 'zod';
import type { EventHandler } from '../events/event-bus';
import type { TopicSpec } from '../events/envelope';
import type { Logger } from '../logger';

const mskRecordSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  timestamp: z.number().optional(),
  timestampType: z.string().optional(),
  /** Base64; absent or null for a record without a key. */
  key: z.string().nullish(),
  /** Base64; null for a tombstone. */
  value: z.string().nullish(),
  /** Each header as { name: its value's bytes }. */
  headers: z.array(z.record(z.string(), z.array(z.number()))).optional(),
});

const mskEventSchema = z.object({
  eventSource: z.literal('aws:kafka'),
  eventSourceArn: z.string(),
  bootstrapServers: z.string().optional(),
  records: z.record(z.string(), z.array(mskRecordSchema)),
});

/** AWS Lambda's Amazon MSK event. */
export type MskEvent = z.input<typeof mskEventSchema>;
export type MskRecord = z.input<typeof mskRecordSchema>;

/** Where Lambda resumes one partition: its key in the event's `records`, and the first offset to deliver again. */
export interface KafkaItemIdentifier {
  partition: string;
  offset: number;
}

/** The partial batch response of a Kafka event source mapping. */
export interface KafkaBatchResponse {
  batchItemFailures: { itemIdentifier: KafkaItemIdentifier }[];
}

export interface MskHandlerOptions<E> {
  /** The records' topic: its name, and how a record's value is read (e.g. orderEventsTopic). */
  topic: TopicSpec<E>;
  /** The in-cluster consumer's handler: resolves once the event is handled; throws to get it again. */
  handle: EventHandler<E>;
  log: Logger;
  /**
   * Partitions handled at once. The mapping gives a function one batch per invocation, which may
   * hold several partitions; their records are independent, so a slow partition need not wait
   * for the others, but a store should not see more than this many calls at once from one
   * container. Default 4.
   */
  partitionConcurrency?: number;
}

const DEFAULT_PARTITION_CONCURRENCY = 4;

/** Why a record could not become an event: retrying it cannot help. */
class PoisonedRecordError extends Error {
  override name = 'PoisonedRecordError';
}

/** The event a record carries, read with the topic's spec; throws PoisonedRecordError when it cannot be read. */
function eventOf<E>(record: z.infer<typeof mskRecordSchema>, topic: TopicSpec<E>): E {
  if (record.topic !== topic.name) throw new PoisonedRecordError(`a record of ${record.topic}, not ${topic.name}`);
  if (record.value === undefined || record.value === null) throw new PoisonedRecordError('a record without a value');
  try {
    return topic.parse(Buffer.from(record.value, 'base64').toString('utf8'));
  } catch (error) {
    throw new PoisonedRecordError('the value is not an event of this topic', { cause: error });
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The handler of an MSK event source mapping over a consumer's EventHandler. */
export function mskEventHandler<E>({
  topic,
  handle,
  log,
  partitionConcurrency = DEFAULT_PARTITION_CONCURRENCY,
}: MskHandlerOptions<E>): (event: MskEvent) => Promise<KafkaBatchResponse> {
  /** The partition's resume point, if a record of it failed. */
  const handlePartition = async (
    partitionKey: string,
    records: z.infer<typeof mskRecordSchema>[],
  ): Promise<KafkaItemIdentifier | undefined> => {
    let resumeFrom: number | undefined;
    for (const record of [...records].sort((a, b) => a.offset - b.offset)) {
      const where = { topic: record.topic, partition: record.partition, offset: record.offset };
      let event: E;
      try {
        event = eventOf(record, topic);
      } catch (error) {
        log.error({ err: error, ...where }, 'an MSK record cannot be read: reported as failed, its partition goes on');
        resumeFrom ??= record.offset;
        continue;
      }
      try {
        await handle(event);
      } catch (error) {
        log.error({ err: error, ...where }, 'handling an MSK record failed: its partition resumes from it');
        resumeFrom ??= record.offset;
        break;
      }
    }
    return resumeFrom === undefined ? undefined : { partition: partitionKey, offset: resumeFrom };
  };

  return async (event) => {
    const partitions = Object.entries(mskEventSchema.parse(event).records);
    // In the event's order of partitions, whichever finishes first.
    const failures: (KafkaItemIdentifier | undefined)[] = partitions.map(() => undefined);
    await forEachBounded([...partitions.keys()], partitionConcurrency, async (index) => {
      const [partitionKey, records] = partitions[index]!;
      failures[index] = await handlePartition(partitionKey, records);
    });
    return {
      batchItemFailures: failures
        .filter((failure): failure is KafkaItemIdentifier => failure !== undefined)
        .map((itemIdentifier) => ({ itemIdentifier })),
    };
  };
}
