import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config';
import type { EventBusConfig } from './config';
import { orderEventsTopic, type EventEnvelope, type TopicSpec } from './envelope';
import type { EventBus } from './event-bus';
import { FileLogEventBus } from './file-log-bus';
import { InProcessEventBus } from './in-process-bus';
import { KafkaEventBus } from './kafka-bus';

/** The in-process logs of this process, one per DATA_DIR and topic: the services of one supergraph share it. */
const inProcessLogs = new Map<string, InProcessEventBus<unknown>>();

/** The adapter EVENT_BUS names, for the order events. Each call gives a client of its own; close() closes only that. */
export function createEventBus(config: EventBusConfig & { DATA_DIR: string }, log?: Logger): EventBus {
  return createTopicEventBus<EventEnvelope>(config, orderEventsTopic, log);
}

/** The same, for another topic (e.g. productEventsTopic). */
export function createTopicEventBus<E extends { type: string; version: number }>(
  config: EventBusConfig & { DATA_DIR: string },
  spec: TopicSpec<E>,
  log?: Logger,
): EventBus<E> {
  switch (config.EVENT_BUS) {
    case 'file':
      return new FileLogEventBus<E>({ dir: path.join(config.DATA_DIR, 'events'), spec, log });
    case 'in-process': {
      const key = `${config.DATA_DIR}\0${spec.name}`;
      let shared = inProcessLogs.get(key) as InProcessEventBus<E> | undefined;
      if (!shared) inProcessLogs.set(key, (shared = new InProcessEventBus<E>()) as InProcessEventBus<unknown>);
      return shared.client();
    }
    case 'kafka':
      if (!config.KAFKA_BROKERS) {
        throw new ConfigError('Invalid configuration:\n  KAFKA_BROKERS: required when EVENT_BUS=kafka (not set)');
      }
      return new KafkaEventBus<E>({
        brokers: config.KAFKA_BROKERS,
        clientId: config.KAFKA_CLIENT_ID,
        spec,
        log,
        ...(config.KAFKA_SASL === 'aws-msk-iam' ? { mskIam: { region: config.AWS_REGION } } : {}),
      });
  }
}
