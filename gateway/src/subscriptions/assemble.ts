// Builds one event's result for one subscriber from the per-event query's result. The entities
// (orders, sales windows) were fetched with the subscriber's own selections, so they are already
// shaped as the client asked; for orderEvents, OrderEvent's own fields come from the event.
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { EventEnvelope } from '@cloudmart/runtime';
import { entityFetchKey, type PreparedSubscription } from './operation';

/** The order status an event leaves the order in. */
export function statusAfter(event: EventEnvelope): string | undefined {
  switch (event.type) {
    case 'OrderPlaced':
      return 'PENDING_PAYMENT';
    case 'OrderPaid':
      return 'PAID';
    case 'PaymentDeclined':
      return 'PAYMENT_FAILED';
    case 'OrderCancelled':
      return 'CANCELLED';
    case 'OrderRefunded':
      return 'REFUNDED';
    case 'OrderStatusChanged':
      return typeof event.payload.to === 'string' ? event.payload.to : undefined;
    default:
      return undefined;
  }
}

/**
 * The subscriber's result for `event`. Errors from the supergraph (a subgraph down, say) keep their
 * messages and codes, with their paths moved from the query's fields to the subscription's.
 */
export function assembleResult(
  subscription: PreparedSubscription,
  fetched: FormattedExecutionResult,
  /**
   * The order event, for OrderEvent's own fields; absent for other feeds and for orderUpdated's
   * first result, the order as it was when the subscription started.
   */
  event?: EventEnvelope,
): ExecutionResult {
  const fetchedData = (fetched.data ?? {}) as Record<string, unknown>;
  const pathUnder: Record<string, (string | number)[]> = {};
  let value: unknown;
  const { wrapper, fetch } = subscription.spec;
  if (wrapper) {
    // OrderEvent: the order fetched, its status after the event and the event's time.
    const orderEvent: Record<string, unknown> = {};
    for (const field of subscription.eventFields) {
      if (field.name === wrapper.entityField) {
        pathUnder[field.fetchKey!] = [subscription.responseKey, field.responseKey];
        orderEvent[field.responseKey] = fetchedData[field.fetchKey!] ?? null;
      } else if (field.name === '__typename') orderEvent[field.responseKey] = wrapper.type;
      else if (field.name === 'at') orderEvent[field.responseKey] = event?.occurredAt ?? null;
      else orderEvent[field.responseKey] = (event && statusAfter(event)) ?? null;
    }
    const anyEntity = fetchedData[entityFetchKey(0)];
    value = anyEntity && Object.values(orderEvent).every((v) => v !== null) ? orderEvent : null;
    pathUnder[entityFetchKey(0)] ??= [subscription.responseKey];
  } else {
    pathUnder[entityFetchKey(0)] = [subscription.responseKey];
    value = fetchedData[entityFetchKey(0)] ?? null;
  }
  const errors = (fetched.errors ?? []).map((error) => {
    const [key, ...rest] = error.path ?? [];
    const path = typeof key === 'string' && pathUnder[key] ? [...pathUnder[key], ...rest] : [subscription.responseKey];
    return new GraphQLError(error.message, { path, extensions: error.extensions });
  });
  if (value === null && errors.length === 0) {
    errors.push(new GraphQLError(`The ${fetch.what} could not be read.`, { path: [subscription.responseKey] }));
  }
  // The subscription's field is non-null: with no value, the whole data is null (GraphQL's null propagation).
  const data = value === null ? null : { [subscription.responseKey]: value };
  return errors.length > 0 ? { data, errors } : { data };
}
