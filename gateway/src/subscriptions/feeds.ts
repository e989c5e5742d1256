// The topics subscriptions are served from, each read into one shape (FeedEvent) so the engine
// has one implementation of everything else: de-duplication, matching, the per-event fetch with
// the subscriber's token, bounded queues, retries.
// - `orders`: the orders subgraph's `orders.events` (orderUpdated, myOrderUpdates, orderEvents);
//   an event names an order.
// - `salesWindows`: the insights subgraph's `insights.sales-windows` (liveSales); an event names a
//   closed live sales window by its start.
import type { EventBus, EventEnvelope, SubscribeOptions, Subscription } from '@cloudmart/runtime';
import type { SalesWindowEvent } from '@cloudmart/insights/contract';

export type FeedName = 'orders' | 'salesWindows';

/** One event of a feed, as the engine sees it. */
export interface FeedEvent {
  feed: FeedName;
  /** Unique per event (the bus delivers at least once: the engine dispatches an id once). */
  eventId: string;
  /** What the per-event query fetches: an order's id, a window's start. */
  key: string;
  /** The user the event concerns (order events). */
  userId?: string;
  /** The order event itself, for OrderEvent's own fields (status, at). */
  orderEvent?: EventEnvelope;
}

export interface Feed {
  name: FeedName;
  /**
   * Joined when the engine starts (orders: most subscriptions), or only when its first subscriber
   * comes: a gateway whose cluster lacks an optional topic still starts at once.
   */
  eager: boolean;
  /** Follows the topic in `groupId`, handing each event on. */
  follow(groupId: string, handler: (event: FeedEvent) => void, options: SubscribeOptions): Promise<Subscription>;
}

export const orderFeed = (bus: EventBus): Feed => ({
  name: 'orders',
  eager: true,
  follow: (groupId, handler, options) =>
    bus.subscribe(
      groupId,
      async (event) =>
        handler({ feed: 'orders', eventId: event.eventId, key: event.orderId, userId: event.userId, orderEvent: event }),
      options,
    ),
});

export const salesWindowFeed = (bus: EventBus<SalesWindowEvent>): Feed => ({
  name: 'salesWindows',
  eager: false,
  follow: (groupId, handler, options) =>
    bus.subscribe(groupId, async (event) => handler({ feed: 'salesWindows', eventId: event.eventId, key: event.windowStart }), options),
});
