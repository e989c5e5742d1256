// Builds one event's result for one subscriber from the per-event query's result. The orders were
// fetched with the subscriber's own selections, so they are already shaped as the client asked;
// for orderEvents, OrderEvent's own fields come from the event.
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { EventEnvelope } from '@cloudmart/runtime';
import { orderFetchKey, type PreparedSubscription } from './operation';

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
  /** Absent for orderUpdated's first result, the order as it was when the subscription started. */
  event?: EventEnvelope,
): ExecutionResult {
  const fetchedData = (fetched.data ?? {}) as Record<string, unknown>;
  const pathUnder: Record<string, (string | number)[]> = {};
  let value: unknown;
  if (subscription.field === 'orderEvents') {
    const orderEvent: Record<string, unknown> = {};
    for (const field of subscription.eventFields) {
      if (field.name === 'order') {
        pathUnder[field.fetchKey!] = [subscription.responseKey, field.responseKey];
        orderEvent[field.responseKey] = fetchedData[field.fetchKey!] ?? null;
      } else if (field.name === '__typename') orderEvent[field.responseKey] = 'OrderEvent';
      else if (field.name === 'at') orderEvent[field.responseKey] = event?.occurredAt ?? null;
      else orderEvent[field.responseKey] = (event && statusAfter(event)) ?? null;
    }
    const anyOrder = fetchedData[orderFetchKey(0)];
    value = anyOrder && Object.values(orderEvent).every((v) => v !== null) ? orderEvent : null;
    pathUnder[orderFetchKey(0)] ??= [subscription.responseKey];
  } else {
    pathUnder[orderFetchKey(0)] = [subscription.responseKey];
    value = fetchedData[orderFetchKey(0)] ?? null;
  }
  const errors = (fetched.errors ?? []).map((error) => {
    const [key, ...rest] = error.path ?? [];
    const path = typeof key === 'string' && pathUnder[key] ? [...pathUnder[key], ...rest] : [subscription.responseKey];
    return new GraphQLError(error.message, { path, extensions: error.extensions });
  });
  if (value === null && errors.length === 0) {
    errors.push(new GraphQLError('The order could not be read.', { path: [subscription.responseKey] }));
  }
  // The subscription's field is non-null: with no value, the whole data is null (GraphQL's null propagation).
  const data = value === null ? null : { [subscription.responseKey]: value };
  return errors.length > 0 ? { data, errors } : { data };
}
