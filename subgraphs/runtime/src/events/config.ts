import { z } from 'zod';

/** Variables of every service that publishes or consumes events. */
export const eventBusConfigSchema = z.object({
  /** `in-process`: the zero-install local log (not Kafka, not durable); `kafka`: KAFKA_BROKERS. */
  EVENT_BUS: z.enum(['in-process', 'kafka']).default('in-process'),
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
