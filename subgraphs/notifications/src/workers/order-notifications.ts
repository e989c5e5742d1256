// The notifier's consumer in the cluster: `orders.events` in its own group (NOTIFIER_CONSUMER_GROUP).
// The bus commits the group's offset only after the handler resolves, so a notifier that stops
// or crashes resumes where it left off; Notifier.handle makes a redelivered event change nothing.
import type { EventBus, Subscription } from '@cloudmart/runtime';
import { NOTIFIER_CONSUMER_GROUP } from '../contract';
import type { Notifier } from '../domain/notifier';

export class OrderNotificationsConsumer {
  private subscription?: Subscription;

  constructor(
    private readonly bus: EventBus,
    private readonly notifier: Notifier,
  ) {}

  async start(): Promise<void> {
    this.subscription ??= await this.bus.subscribe(NOTIFIER_CONSUMER_GROUP, (event) => this.notifier.handle(event));
  }

  /** Cuts a retry's wait short (that event is redelivered later), then stops. */
  async stop(): Promise<void> {
    this.notifier.stop();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }
}
