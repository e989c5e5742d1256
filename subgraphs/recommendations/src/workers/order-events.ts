// The bus consumer (group `recommendations`) that builds the order-history read model from the
// orders service's events: OrderPlaced adds an order's products; PaymentDeclined and
// OrderCancelled take the order out (it says nothing about what shoppers want to keep).
// Delivery is at least once: every effect is idempotent per order (redelivered events rewrite
// the same item), and recently handled eventIds are skipped without touching the store.
import type { EventBus, EventEnvelope, Logger, Subscription } from '@cloudmart/runtime';
import { z } from 'zod';
import type { PurchaseStore } from '../data/purchase-store';
import type { HistoryChange } from '../domain/recommendations';
import type { Purchase } from '../domain/engine/types';

export const CONSUMER_GROUP = 'recommendations';

/** What this consumer reads of an OrderPlaced payload (version 1); other fields are ignored. */
const orderPlacedPayloadSchema = z.object({
  items: z.array(z.object({ productId: z.string().min(1) })).min(1),
});

const REMEMBERED_EVENT_IDS = 10_000;

export class OrderEventsConsumer {
  private subscription?: Subscription;
  private readonly seen = new Set<string>();

  constructor(
    private readonly bus: EventBus,
    private readonly store: PurchaseStore,
    private readonly onChange: (change: HistoryChange) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.bus.subscribe(CONSUMER_GROUP, (event) => this.handle(event));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Handles one event; throwing makes the bus deliver it again. */
  async handle(event: EventEnvelope): Promise<void> {
    if (this.seen.has(event.eventId)) return;
    if (event.version !== 1) {
      this.log.warn(
        { eventId: event.eventId, type: event.type, version: event.version },
        'skipping an event of an unknown version',
      );
      return;
    }
    const change = await this.apply(event);
    if (change) this.onChange(change);
    this.remember(event.eventId);
  }

  private async apply(event: EventEnvelope): Promise<HistoryChange | undefined> {
    switch (event.type) {
      case 'OrderPlaced': {
        const parsed = orderPlacedPayloadSchema.safeParse(event.payload);
        if (!parsed.success) {
          // Retrying cannot fix a malformed payload: report it and move on.
          this.log.error(
            { eventId: event.eventId, issues: parsed.error.issues },
            'skipping a malformed OrderPlaced',
          );
          return undefined;
        }
        const purchase: Purchase = {
          orderId: event.orderId,
          userId: event.userId,
          at: Date.parse(event.occurredAt),
          productIds: [...new Set(parsed.data.items.map((item) => item.productId))],
        };
        await this.store.recordPlaced(purchase);
        return { type: 'placed', purchase };
      }
      case 'PaymentDeclined':
      case 'OrderCancelled':
        await this.store.markNotCounting(event.orderId);
        return { type: 'voided', orderId: event.orderId };
      default:
        return undefined;
    }
  }

  private remember(eventId: string) {
    this.seen.add(eventId);
    if (this.seen.size > REMEMBERED_EVENT_IDS) this.seen.delete(this.seen.values().next().value!);
  }
}
