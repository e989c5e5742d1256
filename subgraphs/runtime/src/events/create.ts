import type { Logger } from 'pino';
import { ConfigError } from '../config';
import type { EventBusConfig } from './config';
import type { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-bus';
import { KafkaEventBus } from './kafka-bus';

/** The adapter EVENT_BUS names. */
export function createEventBus(config: EventBusConfig, log?: Logger): EventBus {
  if (config.EVENT_BUS === 'in-process') return new InProcessEventBus();
  if (!config.KAFKA_BROKERS) {
    throw new ConfigError('Invalid configuration:\n  KAFKA_BROKERS: required when EVENT_BUS=kafka (not set)');
  }
  return new KafkaEventBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, log });
}
