// Federated subscriptions at the gateway, fed by event topics (feeds.ts): the order events
// (orderUpdated, myOrderUpdates, orderEvents) and insights' closed sales windows (liveSales).
//
// Each gateway replica consumes each whole topic in a consumer group of its own, starting at the
// end (live updates have no use for history), so every replica sees every event and serves the
// subscribers connected to it; replicas share nothing, and scaling out is adding replicas. For
// each event, every matching subscription gets its result by running a query that selects the
// subscriber's fields of what the event names (an Order, a SalesWindow) through the supergraph's
// query planner, with the subscriber's own token: fields of any subgraph can be selected, and
// access is checked again on every event. The subscription fields are described in operation.ts
// (subscriptionSpecs): their feed, the query field that reads what an event names, who may subscribe.
//
// Delivery rules:
// - An event is dispatched at most once per replica (recent event ids are remembered; the bus
//   delivers at least once), so no connection gets one twice.
// - Dispatch never waits for a subscriber: results go into each subscription's bounded queue,
//   in event order. A subscription whose queue is full (it is not reading) is ended with a
//   SUBSCRIPTION_BUFFER_FULL error and its transport closed; the client reconnects and refetches.
// - Subscribers with the same operation, variables and token share one fetch per event.
// - A per-event fetch that fails because a subgraph or a store cannot be reached (SUBGRAPH_UNAVAILABLE,
//   SERVICE_UNAVAILABLE: a restart, an outage) is retried with growing pauses for about a minute
//   before the failure is delivered: an update is not lost to a short outage (the soak found PAID
//   updates replaced by errors). The subscription's later updates wait behind it, in order.
// - A per-event fetch refused for access (token expired, order no longer visible) ends the
//   subscription with that error.
// - orderUpdated sends the order as it is when the subscription starts, then each change.
// - The order feed is joined at start; the sales windows feed when its first subscriber comes
//   (subscribe() waits for the join, so no later event is missed).
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  GraphQLError,
  print,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import {
  ErrorCode,
  forbidden,
  isConnectionFailure,
  unauthenticated,
  type Identity,
  type Logger,
  type Subscription,
} from '@cloudmart/runtime';
import { assembleResult } from './assemble';
import { BoundedQueue } from './bounded-queue';
import type { Feed, FeedEvent, FeedName } from './feeds';
import { EVENT_KEY_VARIABLE, prepareSubscription, type PreparedSubscription } from './operation';

/** What a subscriber is: the verified caller and the token its fetches carry. */
export interface SubscriberContext {
  identity: Identity | null;
  authorization: string | undefined;
  requestId: string;
  log: Logger;
}

/** Runs a query through the supergraph (the gateway's own pipeline) as `context`'s caller. */
export type QueryExecutor = (
  document: DocumentNode,
  variables: Record<string, unknown>,
  context: SubscriberContext,
) => Promise<FormattedExecutionResult>;

export interface SubscriptionEngineOptions {
  /** The topics followed (feeds.ts); a subscription whose feed is not here is refused. */
  feeds: readonly Feed[];
  /** The supergraph's API schema (it changes when the supergraph is reloaded). */
  schema: () => GraphQLSchema;
  executeQuery: QueryExecutor;
  log: Logger;
  /** Results a subscription may have pending before it is ended as too slow. */
  bufferSize: number;
  /**
   * Pauses before each retry of a per-event fetch that failed because a subgraph or a store could
   * not be reached; after the last, the failure is delivered. Default about a minute in all.
   */
  retryDelaysMs?: readonly number[];
}

export interface SubscribeRequest {
  document: DocumentNode;
  operationName?: string;
  variables?: Record<string, unknown>;
  context: SubscriberContext;
  /** Called when the subscription is ended for being too slow, so the transport can close. */
  onOverflow?: () => void;
}

export const BUFFER_FULL = 'SUBSCRIPTION_BUFFER_FULL';
const RECENT_EVENT_IDS = 10_000;
/** Refusals of a per-event fetch: the subgraph's, and the gateway's own for @requiresScopes fields. */
const accessCodes = new Set<unknown>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, 'UNAUTHORIZED_FIELD_OR_TYPE']);
/** Failures of a per-event fetch that a later try may not have. */
const transientCodes = new Set<unknown>([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE]);
const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

interface Active {
  prepared: PreparedSubscription;
  context: SubscriberContext;
  /** Subscriptions with the same key share one fetch per event. */
  key: string;
  queue: BoundedQueue<ExecutionResult>;
  onOverflow?: () => void;
}

export class SubscriptionEngine {
  private readonly active = new Set<Active>();
  private readonly recentEventIds = new Set<string>();
  private readonly joins = new Map<FeedName, Promise<Subscription>>();
  private stopped = false;
  /** Unique per process: every replica is its own group (one per feed) and so gets every event. */
  readonly groupId = `gateway-${os.hostname()}-${randomUUID()}`.replace(/[^\w.-]/g, '-');

  constructor(private readonly options: SubscriptionEngineOptions) {}

  get activeCount() {
    return this.active.size;
  }

  /** The consumer group of a feed (a group per topic: Kafka keeps rebalancing a group whose members follow different topics). */
  groupIdOf(feed: FeedName): string {
    return feed === 'orders' ? this.groupId : `${this.groupId}-${feed}`;
  }

  /** Joins the eager feeds' topics; resolves once events published from now on will be dispatched. */
  async start(): Promise<void> {
    await Promise.all(this.options.feeds.filter((feed) => feed.eager).map((feed) => this.join(feed)));
  }

  /** Completes every subscription, then leaves the topics. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const subscription of this.active) subscription.queue.end();
    const joined = await Promise.allSettled(this.joins.values());
    await Promise.all(joined.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  }

  /** Follows a feed's topic, once; a failed join is tried again by the next subscriber. */
  private join(feed: Feed): Promise<Subscription> {
    let joining = this.joins.get(feed.name);
    if (!joining) {
      if (this.stopped) return Promise.reject(new Error('the subscription engine is stopped'));
      joining = feed.follow(this.groupIdOf(feed.name), (event) => this.dispatch(event), {
        from: 'latest',
        ephemeral: true, // a replica's group is of no use once it stops
      });
      this.joins.set(feed.name, joining);
      joining.catch(() => this.joins.delete(feed.name));
    }
    return joining;
  }

  /**
   * A stream of results, or a single result with errors when the subscription is refused
   * (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT).
   */
  async subscribe(request: SubscribeRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const variables = request.variables ?? {};
    const prepared = prepareSubscription(this.options.schema(), request.document, request.operationName, variables);
    if (Array.isArray(prepared)) return { errors: prepared };
    const { identity } = request.context;
    if (!identity) return { errors: [unauthenticated('Subscriptions need a signed-in user.')] };
    if (prepared.spec.adminOnly && identity.role !== 'ADMIN') {
      return { errors: [forbidden(`Only admins can subscribe to ${prepared.field}.`)] };
    }
    const feed = this.options.feeds.find((candidate) => candidate.name === prepared.spec.feed);
    if (!feed || this.stopped) return { errors: [unavailable(`${prepared.field} is not served by this gateway now.`)] };
    try {
      await this.join(feed); // at once when joined already
    } catch (error) {
      request.context.log.error({ err: error, feed: feed.name }, 'could not follow a subscription feed');
      return { errors: [unavailable(`${prepared.field} cannot be followed right now; try again.`)] };
    }
    if (this.stopped) return { errors: [unavailable(`${prepared.field} is not served by this gateway now.`)] };
    const key = createHash('sha256')
      .update(JSON.stringify([print(prepared.document), prepared.operationName, variables, request.context.authorization]))
      .digest('base64url');
    const active: Active = {
      prepared,
      context: request.context,
      key,
      onOverflow: request.onOverflow,
      queue: new BoundedQueue<ExecutionResult>(this.options.bufferSize, () => this.active.delete(active)),
    };
    this.active.add(active); // from now on events queue up, behind the snapshot below
    if (prepared.subjectId !== undefined) {
      // The order as it is now comes first: a client that subscribes right after a mutation
      // (checkout) cannot miss the change between its read and its subscription. Fetching it
      // also asks the orders subgraph whether this caller may see the order at all.
      const snapshot = this.resolve(active, prepared.subjectId);
      active.queue.push(snapshot);
      const first = await snapshot;
      if (isAccessRefusal(first)) {
        await active.queue.return();
        return { errors: first.errors };
      }
    }
    return active.queue;
  }

  /** Hands an event to every matching subscription without waiting for any of them. */
  dispatch(event: FeedEvent): void {
    const id = `${event.feed}\0${event.eventId}`;
    if (this.recentEventIds.has(id)) return;
    this.recentEventIds.add(id);
    if (this.recentEventIds.size > RECENT_EVENT_IDS) {
      this.recentEventIds.delete(this.recentEventIds.values().next().value!); // oldest first: Sets keep insertion order
    }
    const shared = new Map<string, Promise<ExecutionResult>>();
    for (const subscription of this.active) {
      if (subscription.queue.ended || !matches(subscription, event)) continue;
      let result = shared.get(subscription.key);
      if (!result) {
        result = this.resolve(subscription, event.key, event);
        shared.set(subscription.key, result);
      }
      if (!subscription.queue.push(result)) {
        this.options.log.warn(
          { requestId: subscription.context.requestId, pending: subscription.queue.size },
          'subscriber too slow: ending its subscription',
        );
        subscription.queue.endNow({
          errors: [
            new GraphQLError(
              `More than ${this.options.bufferSize} updates were waiting to be read; subscribe again and refetch.`,
              { extensions: { code: BUFFER_FULL } },
            ),
          ],
        });
        subscription.onOverflow?.();
        continue;
      }
      const pushed = result;
      void pushed.then((value) => {
        if (isAccessRefusal(value)) subscription.queue.endAfter(pushed); // this result says why
      });
    }
  }

  /**
   * The subscriber's result for an event, or for the subject's current state (a snapshot: no event).
   * A fetch that failed only because something could not be reached is tried again (see the top).
   */
  private async resolve(subscription: Active, key: string, event?: FeedEvent): Promise<ExecutionResult> {
    const { prepared, context } = subscription;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      const retryable = attempt < delays.length && !subscription.queue.ended;
      let fetched: FormattedExecutionResult;
      try {
        fetched = await this.options.executeQuery(
          prepared.entityQuery,
          { ...prepared.entityQueryVariables, [EVENT_KEY_VARIABLE]: key },
          context,
        );
      } catch (error) {
        if (retryable && isConnectionFailure(error)) {
          await sleep(delays[attempt]!);
          continue;
        }
        context.log.error({ err: error, eventId: event?.eventId }, 'could not resolve a subscription event');
        return {
          data: null,
          errors: [new GraphQLError('This update could not be resolved.', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })],
        };
      }
      if (retryable && isTransientFailure(fetched)) {
        context.log.warn({ eventId: event?.eventId, attempt, codes: fetched.errors?.map((error) => error.extensions?.code) }, 'retrying a subscription event');
        await sleep(delays[attempt]!);
        continue;
      }
      return assembleResult(prepared, fetched, event?.orderEvent);
    }
  }
}

function matches({ prepared, context }: Active, event: FeedEvent): boolean {
  if (event.feed !== prepared.spec.feed) return false;
  if (prepared.subjectId !== undefined) return event.key === prepared.subjectId; // orderUpdated
  if (prepared.field === 'myOrderUpdates') return event.userId === context.identity?.userId;
  return true; // orderEvents, liveSales: every event of the feed
}

const unavailable = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch with none of the entity's data, failed only by what could not be reached. */
function isTransientFailure(fetched: FormattedExecutionResult): boolean {
  const errors = fetched.errors ?? [];
  const entities = Object.values((fetched.data ?? {}) as Record<string, unknown>);
  return errors.length > 0 && entities.every((entity) => entity == null) && errors.every((error) => transientCodes.has(error.extensions?.code));
}

/** A result with no data because access was refused: the subscription cannot go on. */
function isAccessRefusal(result: ExecutionResult): boolean {
  return result.data == null && (result.errors ?? []).some((error) => accessCodes.has(error.extensions?.code));
}
