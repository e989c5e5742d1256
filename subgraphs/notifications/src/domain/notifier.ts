// The notifier: turns order events into emails and texts, exactly once per event and channel.
//
// For each event that concerns the shopper (kindOf), it claims one notification per channel —
// a conditional put of `<eventId>:<channel>` holding the rendered message — then sends what it
// claimed. Delivery of events is at least once, so a redelivered event finds its claims and only
// finishes what is still PENDING (a process stopped or killed mid-send); what was SENT or FAILED
// is left alone. A send that fails retryably (throttling, the provider down) is tried again with
// backoff, up to NOTIFY_MAX_ATTEMPTS; then, or at once when the provider refuses the message for
// good, the notification is FAILED: the dead letter an admin lists and resends.
//
// Between the provider accepting a message and the record saying SENT there is one DynamoDB
// write; a crash exactly there sends the message again on redelivery. Over SMTP the email carries
// the same Message-ID both times, so mail clients show it once; through SES (which sets its own
// Message-ID) and for a text, it would arrive twice.
import type { EventEnvelope, Logger } from '@cloudmart/runtime';
import { orderEventPayloadSchemas } from '@cloudmart/orders/contract';
import type { NotificationKind } from '../contract';
import { notificationId, type NotificationItem, type SendError } from '../data/items';
import type { NotificationStore } from '../data/notification-store';
import type { OrderReader } from '../data/order-reader';
import type { PreferenceStore } from '../data/preference-store';
import { ChannelError, type EmailChannel, type SmsChannel } from '../services/channels/port';
import type { UsersPort } from '../services/users';
import { renderMessage, type MessageFacts } from './messages';

/** The notification an order event makes, if any (v1 payloads: @cloudmart/orders/contract). */
export function kindOf(event: EventEnvelope): { kind: NotificationKind; refunded?: number } | null {
  switch (event.type) {
    case 'OrderPaid':
      return { kind: 'ORDER_CONFIRMED' };
    case 'PaymentDeclined':
      return { kind: 'PAYMENT_FAILED' };
    case 'OrderCancelled':
      return { kind: 'ORDER_CANCELLED' };
    case 'OrderRefunded':
      return { kind: 'ORDER_REFUNDED', refunded: orderEventPayloadSchemas.OrderRefunded.parse(event.payload).amount };
    case 'OrderStatusChanged': {
      const { to } = orderEventPayloadSchemas.OrderStatusChanged.parse(event.payload);
      if (to === 'SHIPPED') return { kind: 'ORDER_SHIPPED' };
      if (to === 'DELIVERED') return { kind: 'ORDER_DELIVERED' };
      return null;
    }
    default:
      return null;
  }
}

export interface NotifierSettings {
  shop: { name: string; url: string };
  maxAttempts: number;
  /** The pause before the first retry; ×4 each time, at most 30 s. */
  retryBaseMs: number;
}

export interface NotifierDeps {
  store: NotificationStore;
  preferences: PreferenceStore;
  orders: OrderReader;
  users: UsersPort;
  email: EmailChannel;
  sms: SmsChannel;
  settings: NotifierSettings;
  log: Logger;
  now?: () => Date;
}

/** The notifier was stopped while waiting to retry: the event is left for redelivery. */
export class NotifierStoppedError extends Error {
  override name = 'NotifierStoppedError';
}

const MAX_BACKOFF_MS = 30_000;

const errorOf = (error: unknown): SendError =>
  error instanceof ChannelError
    ? { code: error.code, message: error.message.slice(0, 500) }
    : { code: 'UNEXPECTED', message: String(error instanceof Error ? error.message : error).slice(0, 500) };

export class Notifier {
  private readonly stopping = new AbortController();
  private readonly now: () => Date;

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The event handler, in the cluster's consumer and in the Lambda alike. */
  async handle(event: EventEnvelope): Promise<void> {
    if (event.version !== 1) {
      this.deps.log.warn({ eventId: event.eventId, type: event.type, version: event.version }, 'order event of an unknown version; skipped');
      return;
    }
    const what = kindOf(event);
    if (!what) return;
    for (const notification of await this.claim(event, what)) await this.deliver(notification);
  }

  /**
   * An admin's resend of a FAILED notification: one attempt, now, with the stored message. Null
   * when it is not FAILED (sent meanwhile, or another resend has it).
   */
  async resend(id: string): Promise<NotificationItem | null> {
    if (!(await this.deps.store.reopen(id, this.now().toISOString()))) return null;
    const item = await this.deps.store.get(id);
    if (!item) return null;
    await this.attempt(item, item.attempts + 1, { finalAttempt: true });
    return this.deps.store.get(id);
  }

  /** Stops waiting between retries: the event in hand is left for redelivery. */
  stop(): void {
    this.stopping.abort();
  }

  /** This event's notifications: the ones stored already, else new ones, claimed. */
  private async claim(event: EventEnvelope, what: { kind: NotificationKind; refunded?: number }): Promise<NotificationItem[]> {
    const { store, orders, users, preferences, log } = this.deps;
    const stored = (await Promise.all((['EMAIL', 'SMS'] as const).map((channel) => store.get(notificationId(event.eventId, channel))))).filter(
      (item): item is NotificationItem => item !== null,
    );
    // The email is always claimed first: with it stored, this event was seen and its channels decided.
    if (stored.some((item) => item.channel === 'EMAIL')) return stored;
    const order = await orders.order(event.orderId);
    if (!order) {
      log.error({ eventId: event.eventId, orderId: event.orderId }, 'order of an event not found; no notification');
      return [];
    }
    const contact = await users.contact(order.userId, order.shippingAddressId);
    if (!contact) {
      log.warn({ eventId: event.eventId, userId: order.userId }, 'user of an order not found (deleted?); no notification');
      return [];
    }
    const [names, preference] = await Promise.all([
      orders.productNames(order.lines.map((line) => line.productId)),
      preferences.get(order.userId),
    ]);
    const facts: MessageFacts = {
      kind: what.kind,
      shop: this.deps.settings.shop,
      customerName: contact.user.name,
      order: {
        ...order,
        lines: order.lines.map((line) => ({ ...line, name: names.get(line.productId) ?? 'A product no longer sold' })),
      },
      address: contact.address,
      refunded: what.refunded,
    };
    const message = await renderMessage(facts);
    const at = this.now().toISOString();
    const base = { eventId: event.eventId, userId: order.userId, orderId: order.id, kind: what.kind, status: 'PENDING' as const, attempts: 0, createdAt: at, updatedAt: at };
    const wanted: NotificationItem[] = [];
    if (preference?.sms && preference.phoneNumber) {
      wanted.push({ ...base, id: notificationId(event.eventId, 'SMS'), channel: 'SMS', recipient: preference.phoneNumber, subject: message.sms, text: message.sms });
    }
    // Claimed last, so "the email exists" above means every channel was claimed.
    wanted.push({ ...base, id: notificationId(event.eventId, 'EMAIL'), channel: 'EMAIL', recipient: contact.user.email, subject: message.subject, text: message.text, html: message.html });
    const claimed: NotificationItem[] = [];
    for (const item of wanted) claimed.push((await store.claim(item)).item);
    return claimed;
  }

  /** Sends a PENDING notification, retrying retryable failures with backoff, until SENT or FAILED. */
  private async deliver(item: NotificationItem): Promise<void> {
    if (item.status !== 'PENDING') return;
    const { maxAttempts, retryBaseMs } = this.deps.settings;
    for (let attempt = item.attempts + 1; ; attempt++) {
      const finalAttempt = attempt >= maxAttempts;
      const outcome = await this.attempt(item, attempt, { finalAttempt });
      if (outcome !== 'retry') return;
      await this.sleep(Math.min(MAX_BACKOFF_MS, retryBaseMs * 4 ** (attempt - item.attempts - 1)));
    }
  }

  /** One send; records its outcome. 'retry' when it failed retryably and attempts remain. */
  private async attempt(item: NotificationItem, attempt: number, { finalAttempt }: { finalAttempt: boolean }): Promise<'done' | 'retry'> {
    const { store, log } = this.deps;
    try {
      const delivery = await this.send(item);
      await store.markSent(item.id, attempt, delivery.providerMessageId, this.now().toISOString());
      log.info({ notificationId: item.id, kind: item.kind, channel: item.channel, attempt }, 'notification sent');
      return 'done';
    } catch (error) {
      const failure = errorOf(error);
      const retryable = !(error instanceof ChannelError) || error.retryable;
      const at = this.now().toISOString();
      if (retryable && !finalAttempt) {
        log.warn({ notificationId: item.id, attempt, error: failure }, 'notification send failed; will retry');
        await store.recordFailedAttempt(item.id, attempt, failure, at);
        return 'retry';
      }
      log.error({ notificationId: item.id, attempt, error: failure }, 'notification failed; dead-lettered');
      await store.markFailed(item.id, attempt, failure, at);
      return 'done';
    }
  }

  private send(item: NotificationItem) {
    if (item.channel === 'SMS') return this.deps.sms.send({ to: item.recipient, body: item.text });
    return this.deps.email.send({
      to: item.recipient,
      subject: item.subject,
      html: item.html ?? item.text,
      text: item.text,
      messageId: `<${item.id.replace(/[^\w.-]/g, '.')}@cloudmart>`,
    });
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new NotifierStoppedError('stopping'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new NotifierStoppedError('stopping'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
