// The single-process mode of the event bus: an append-only log in this process's memory with
// consumer-group offsets. It is NOT Kafka and is not durable: events and offsets vanish when the
// process exits, and only subscribers in the same process see them. createEventBus shares one log
// per DATA_DIR among the services of a process (the test harness runs them all in one); `npm
// start`, with a process per service, uses the file log (file-log-bus.ts) instead.
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from './event-bus';
import type { EventEnvelope } from './envelope';

/** After a handler fails, the same event is retried after this delay (doubling, capped). */
const RETRY_MS = { first: 50, max: 2_000 };

interface Group<E> {
  /** Index of the next event to deliver: the committed offset. */
  offset: number;
  /** Like a one-partition topic, a group's single active member gets its events; others wait. */
  members: Member<E>[];
}

interface Member<E> {
  handler: EventHandler<E>;
  running: boolean;
  /** The delivery loop, awaited by stop() so the event in hand is finished (and committed) first. */
  loop?: Promise<void>;
}

export class InProcessEventBus<E = EventEnvelope> implements EventBus<E> {
  private readonly log: E[] = [];
  private readonly groups = new Map<string, Group<E>>();
  private waiters: (() => void)[] = [];
  private closed = false;

  async publish(events: readonly E[]): Promise<void> {
    if (this.closed) throw new Error('the event bus is closed');
    // structuredClone: a consumer must not see later changes to the publisher's objects.
    for (const event of events) this.log.push(structuredClone(event));
    this.wake();
  }

  async subscribe(groupId: string, handler: EventHandler<E>, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closed) throw new Error('the event bus is closed');
    let group = this.groups.get(groupId);
    if (!group) {
      group = { offset: options.from === 'latest' ? this.log.length : 0, members: [] };
      this.groups.set(groupId, group);
    }
    const member: Member<E> = { handler, running: true };
    group.members.push(member);
    member.loop = this.deliver(group, member);
    return {
      stop: async () => {
        await this.leave(group, member);
        if (options.ephemeral && group.members.length === 0) this.groups.delete(groupId);
      },
    };
  }

  async lag(groupId: string): Promise<number> {
    return this.log.length - (this.groups.get(groupId)?.offset ?? 0);
  }

  /** A client of this log whose close() stops only its own subscriptions, like a Kafka client's. */
  client(): EventBus<E> {
    const subscriptions: Subscription[] = [];
    return {
      publish: (events) => this.publish(events),
      lag: (groupId) => this.lag(groupId),
      subscribe: async (groupId, handler, options) => {
        const subscription = await this.subscribe(groupId, handler, options);
        subscriptions.push(subscription);
        return subscription;
      },
      close: async () => {
        await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.groups.values()].flatMap((group) => group.members.map((m) => this.leave(group, m))));
  }

  private async leave(group: Group<E>, member: Member<E>): Promise<void> {
    member.running = false;
    this.wake();
    await member.loop;
    group.members = group.members.filter((m) => m !== member);
    this.wake(); // the next member, if any, takes over from the committed offset
  }

  private async deliver(group: Group<E>, member: Member<E>): Promise<void> {
    let retryMs = RETRY_MS.first;
    while (member.running) {
      const event = this.log[group.offset];
      if (group.members[0] !== member || !event) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      try {
        await member.handler(structuredClone(event));
        group.offset += 1; // commit only after the handler succeeded: at least once
        retryMs = RETRY_MS.first;
      } catch {
        // The handler owns reporting its failure; the bus's job is to offer the event again.
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, RETRY_MS.max);
      }
    }
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
