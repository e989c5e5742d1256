// Federated subscriptions at the gateway, fed by the order events topic.
//
// Each gateway replica consumes the whole topic in a consumer group of its own, starting at the
// end (live updates have no use for history), so every replica sees every event and serves the
// subscribers connected to it; replicas share nothing, and scaling out is adding replicas. For
// each event, every matching subscription gets its result by running a query that selects the
// subscriber's Order fields through the supergraph's query planner, with the subscriber's own
// token: fields of any subgraph can be selected, and access is checked again on every event.
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
  type EventBus,
  type EventEnvelope,
  type Identity,
  type Logger,
  type Subscription,
} from '@cloudmart/runtime';
import { assembleResult } from './assemble';
import { BoundedQueue } from './bounded-queue';
import { ORDER_ID_VARIABLE, prepareSubscription, type PreparedSubscription } from './operation';

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
  bus: EventBus;
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
const accessCodes = new Set<unknown>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND]);
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
  private busSubscription?: Subscription;
  /** Unique per process: every replica is its own group and so gets every event. */
  readonly groupId = `gateway-${os.hostname()}-${randomUUID()}`.replace(/[^\w.-]/g, '-');

  constructor(private readonly options: SubscriptionEngineOptions) {}

  get activeCount() {
    return this.active.size;
  }

  /** Joins the topic; resolves once events published from now on will be dispatched. */
  async start(): Promise<void> {
    this.busSubscription = await this.options.bus.subscribe(this.groupId, async (event) => this.dispatch(event), {
      from: 'latest',
      ephemeral: true, // a replica's group is of no use once it stops
    });
  }

  /** Completes every subscription, then leaves the topic. */
  async stop(): Promise<void> {
    for (const subscription of this.active) subscription.queue.end();
    await this.busSubscription?.stop();
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
    if (prepared.field === 'orderEvents' && identity.role !== 'ADMIN') {
      return { errors: [forbidden('Only admins can follow every order’s events.')] };
    }
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
    if (prepared.field === 'orderUpdated') {
      // The order as it is now comes first: a client that subscribes right after a mutation
      // (checkout) cannot miss the change between its read and its subscription. Fetching it
      // also asks the orders subgraph whether this caller may see the order at all.
      const snapshot = this.resolve(active, prepared.orderId!);
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
  dispatch(event: EventEnvelope): void {
    if (this.recentEventIds.has(event.eventId)) return;
    this.recentEventIds.add(event.eventId);
    if (this.recentEventIds.size > RECENT_EVENT_IDS) {
      this.recentEventIds.delete(this.recentEventIds.values().next().value!); // oldest first: Sets keep insertion order
    }
    const shared = new Map<string, Promise<ExecutionResult>>();
    for (const subscription of this.active) {
      if (subscription.queue.ended || !matches(subscription, event)) continue;
      let result = shared.get(subscription.key);
      if (!result) {
        result = this.resolve(subscription, event.orderId, event);
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
   * The subscriber's result for an event, or for the order's current state (a snapshot: no event).
   * A fetch that failed only because something could not be reached is tried again (see the top).
   */
  private async resolve(subscription: Active, orderId: string, event?: EventEnvelope): Promise<ExecutionResult> {
    const { prepared, context } = subscription;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      const retryable = attempt < delays.length && !subscription.queue.ended;
      let fetched: FormattedExecutionResult;
      try {
        fetched = await this.options.executeQuery(
          prepared.orderQuery,
          { ...prepared.orderQueryVariables, [ORDER_ID_VARIABLE]: orderId },
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
      return assembleResult(prepared, fetched, event);
    }
  }
}

function matches({ prepared, context }: Active, event: EventEnvelope): boolean {
  switch (prepared.field) {
    case 'orderUpdated':
      return event.orderId === prepared.orderId;
    case 'myOrderUpdates':
      return event.userId === context.identity?.userId;
    case 'orderEvents':
      return true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch with none of the order's data, failed only by what could not be reached. */
function isTransientFailure(fetched: FormattedExecutionResult): boolean {
  const errors = fetched.errors ?? [];
  const orders = Object.values((fetched.data ?? {}) as Record<string, unknown>);
  return errors.length > 0 && orders.every((order) => order == null) && errors.every((error) => transientCodes.has(error.extensions?.code));
}

/** A result with no data because access was refused: the subscription cannot go on. */
function isAccessRefusal(result: ExecutionResult): boolean {
  return result.data == null && (result.errors ?? []).some((error) => accessCodes.has(error.extensions?.code));
}
