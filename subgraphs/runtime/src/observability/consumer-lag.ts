// Reports an event consumer's lag as cloudmart_event_consumer_lag_events, every interval.
import type { Logger } from '../logger';
import { ORDER_EVENTS_TOPIC, type EventBus } from '../events';
import type { ServiceMetrics } from './metrics';

export interface ConsumerLagOptions {
  bus: EventBus;
  groupId: string;
  metrics: ServiceMetrics;
  log: Logger;
  topic?: string;
  intervalMs?: number;
}

/** Starts measuring; the returned function stops it. A failed measurement is logged and skipped. */
export function reportConsumerLag({ bus, groupId, metrics, log, topic = ORDER_EVENTS_TOPIC, intervalMs = 15_000 }: ConsumerLagOptions) {
  let running = false;
  const measure = async () => {
    if (running) return; // a slow measurement (a broker outage) must not pile up
    running = true;
    try {
      metrics.setConsumerLag(groupId, topic, await bus.lag(groupId));
    } catch (error) {
      log.debug({ err: error, groupId }, 'could not measure consumer lag');
    } finally {
      running = false;
    }
  };
  void measure();
  const timer = setInterval(() => void measure(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
