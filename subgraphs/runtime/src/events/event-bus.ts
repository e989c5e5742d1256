// The event bus port. Adapters: kafka-bus.ts (Kafka) and in-process-bus.ts (the zero-install
// local mode). Both give the same guarantees, which test/event-bus.contract.test.ts checks:
// - publish() resolves only once every event is durably appended (Kafka: acknowledged by all
//   in-sync replicas); events are keyed by orderId, so one order's events keep their order.
// - subscribe() delivers at least once: a group's offset is committed only after the handler
//   resolves, so a consumer that stops or crashes resumes where it left off, possibly seeing a
//   few events again (dedupe on eventId). Every group sees every event.
// The port is generic over a topic's envelope (see TopicSpec in envelope.ts); it defaults to the
// order events' envelope, the `orders.events` topic.
import type { EventEnvelope } from './envelope';

export type EventHandler<E = EventEnvelope> = (event: E) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Where a group without a committed offset starts: `earliest` (the default) sees the whole
   * topic; `latest` only events published after subscribe() resolves — for consumers that serve
   * live traffic, like the gateway's subscriptions, and have no use for history.
   */
  from?: 'earliest' | 'latest';
  /**
   * The group lives only as long as this subscription: its offsets are deleted when it stops
   * (best effort). For consumers with a group per process, like each gateway replica.
   */
  ephemeral?: boolean;
}

export interface Subscription {
  /** Stops delivering; offsets of events already handled are committed first. */
  stop(): Promise<void>;
}

export interface EventBus<E = EventEnvelope> {
  /** Appends the events in order (key = orderId). Rejects when they could not all be stored. */
  publish(events: readonly E[]): Promise<void>;
  /**
   * Delivers the topic's events to `handler`, one at a time per key, from the group's committed
   * offset (for a new group, see SubscribeOptions.from). A handler that throws gets the same
   * event again. Resolves once the consumer is in place: later events will reach it.
   */
  subscribe(groupId: string, handler: EventHandler<E>, options?: SubscribeOptions): Promise<Subscription>;
  /**
   * Events published but not yet handled by `groupId` (past its committed position; the whole
   * topic for a group with none). For the consumer lag metric.
   */
  lag(groupId: string): Promise<number>;
  /** Stops every subscription and releases connections. */
  close(): Promise<void>;
}
