import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config';
import type { EventBusConfig } from './config';
import type { EventBus } from './event-bus';
import { FileLogEventBus } from './file-log-bus';
import { InProcessEventBus } from './in-process-bus';
import { KafkaEventBus } from './kafka-bus';

/** The in-process logs of this process, one per DATA_DIR: the services of one supergraph share it. */
const inProcessLogs = new Map<string, InProcessEventBus>();

/** The adapter EVENT_BUS names. Each call gives a client of its own; close() closes only that. */
export function createEventBus(config: EventBusConfig & { DATA_DIR: string }, log?: Logger): EventBus {
  switch (config.EVENT_BUS) {
    case 'file':
      return new FileLogEventBus({ dir: path.join(config.DATA_DIR, 'events'), log });
    case 'in-process': {
      let shared = inProcessLogs.get(config.DATA_DIR);
      if (!shared) inProcessLogs.set(config.DATA_DIR, (shared = new InProcessEventBus()));
      return shared.client();
    }
    case 'kafka':
      if (!config.KAFKA_BROKERS) {
        throw new ConfigError('Invalid configuration:\n  KAFKA_BROKERS: required when EVENT_BUS=kafka (not set)');
      }
      return new KafkaEventBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, log });
  }
}
