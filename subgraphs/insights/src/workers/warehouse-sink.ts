// The warehouse sink: a consumer of `orders.events` in its own group (`insights-warehouse`) that
// loads each event's rows. Delivery is at least once and the bus commits a group's offset only
// after the handler resolves, so a sink that stops (or crashes) resumes where it left off and may
// see a few events again; the warehouse's writes are idempotent (rows keyed by order, line and
// status), so a repeat changes nothing.
import { ZodError } from 'zod';
import type { EventBus, EventEnvelope, Logger, Subscription } from '@cloudmart/runtime';
import { rowsOfEvent, UnsupportedEventError, type CategoryLookup } from '../domain/order-rows';
import type { Warehouse } from '../services/warehouse/warehouse';

export const WAREHOUSE_CONSUMER_GROUP = 'insights-warehouse';

export class WarehouseSink {
  private subscription?: Subscription;

  constructor(
    private readonly bus: EventBus,
    private readonly warehouse: Warehouse,
    private readonly categories: CategoryLookup,
    private readonly log: Logger,
    private readonly groupId = WAREHOUSE_CONSUMER_GROUP,
  ) {}

  async start(): Promise<void> {
    if (this.subscription) return;
    this.subscription = await this.bus.subscribe(this.groupId, (event) => this.handle(event));
  }

  /** Finishes the event in hand (its offset is committed), then stops. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  async handle(event: EventEnvelope): Promise<void> {
    try {
      await this.warehouse.load(await rowsOfEvent(event, this.categories));
    } catch (error) {
      if (error instanceof UnsupportedEventError || error instanceof ZodError) {
        // Retrying cannot help a payload this code does not understand: report it and go on.
        this.log.error(
          { err: error, eventId: event.eventId, type: event.type, version: event.version },
          'skipping an order event the warehouse cannot read',
        );
        return;
      }
      // A store failed: thrown back to the bus, which offers the same event again (with backoff).
      this.log.error(
        { err: error, eventId: event.eventId },
        'loading an order event into the warehouse failed',
      );
      throw error;
    }
  }
}
