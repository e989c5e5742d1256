import { z } from 'zod';

/** Variables of every service that publishes or consumes events. */
export const eventBusConfigSchema = z.object({
  /**
   * `file`: the zero-install default, a log under DATA_DIR/events shared by this machine's
   * processes (not Kafka); `in-process`: one process's memory (not durable); `kafka`: KAFKA_BROKERS.
   */
  EVENT_BUS: z.enum(['file', 'in-process', 'kafka']).default('file'),
  /** Comma-separated host:port list; required when EVENT_BUS=kafka. */
  KAFKA_BROKERS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .transform((list) => list.split(',').map((broker) => broker.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1))
      .optional(),
  ),
  KAFKA_CLIENT_ID: z.string().min(1).default('cloudmart'),
});

export type EventBusConfig = z.infer<typeof eventBusConfigSchema>;
