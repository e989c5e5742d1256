import type { OrderLookup, OrderView, ReturnResult, SupportTools } from '../../domain/tools';
import { ORDER_NUMBER } from '../../domain/order-references';
import { classify, extractEntities, type Entities } from './intents';
import type { AssistantPort, AssistantReply, AssistantTurn, HistoryMessage } from './port';

/**
 * The default assistant: no model and no key. It classifies the message's intent, extracts order
 * numbers (full or partial) and dates, calls the same caller-bound tools a model would, and
 * writes the answer from their results. Deterministic: the same data gives the same answer.
 */
export class LocalAssistant implements AssistantPort {
  readonly engine = 'LOCAL' as const;

  async reply(turn: AssistantTurn): Promise<AssistantReply> {
    return { answer: await this.answer(turn), engine: this.engine };
  }

  private async answer({ message, history, tools, now }: AssistantTurn): Promise<string> {
    const entities = extractEntities(message, now);
    const intent = classify(message, entities, { followsOrder: lastOrderNumber(history) !== undefined });
    const references = [...entities.orderNumbers, ...entities.orderTails];
    switch (intent) {
      case 'CREATE_TICKET': {
        const { ticket } = await tools.createTicket(message, references[0] ?? lastOrderNumber(history));
        return (
          `I've opened ticket ${ticket.number}${ticket.orderNumber ? ` about order ${ticket.orderNumber}` : ''} ` +
          'for our support team; they will get back to you. You can follow it under your tickets.'
        );
      }
      case 'RETURN_POLICY':
        return tools.getReturnPolicy().policy;
      case 'START_RETURN': {
        const reference = references[0] ?? lastOrderNumber(history);
        if (reference) return describeReturn(await tools.startReturn(reference), tools);
        return this.askWhichToReturn(tools, now);
      }
      case 'LIST_ORDERS':
        return this.listOrders(tools, entities);
      case 'ORDER_STATUS':
        return this.orderStatus(tools, entities, history);
      case 'THANKS':
        return "You're welcome! Is there anything else I can help with?";
      case 'GREETING':
        return `Hi! ${CAPABILITIES} How can I help?`;
      case 'HELP':
        return `Sorry, I'm not sure I understood. ${CAPABILITIES}`;
    }
  }

  private async orderStatus(
    tools: SupportTools,
    entities: Entities,
    history: HistoryMessage[],
  ): Promise<string> {
    const references = [...entities.orderNumbers, ...entities.orderTails].slice(0, 3);
    if (references.length > 0) {
      const answers: string[] = [];
      for (const reference of references) answers.push(describeLookup(await tools.getOrderStatus(reference)));
      return answers.join('\n');
    }
    if (entities.dates.length === 0) {
      const previous = lastOrderNumber(history);
      if (previous) return describeLookup(await tools.getOrderStatus(previous));
    }
    const listed = await tools.listMyOrders();
    if ('error' in listed) return UNAVAILABLE;
    if (listed.orders.length === 0) return "I can't find any orders on your account yet.";
    if (entities.dates.length > 0) {
      const onDates = listed.orders.filter((order) => entities.dates.includes(order.placedAt.slice(0, 10)));
      if (onDates.length === 0) {
        return `I can't find an order placed on ${entities.dates.map(formatDay).join(' or ')} on your account. ${listOf(listed.orders)}`;
      }
      return onDates.map((order) => `Your order ${order.number} ${statusPhrase(order)}.`).join('\n');
    }
    const [latest, ...others] = listed.orders;
    return (
      `Your most recent order, ${latest!.number}, ${statusPhrase(latest!)}.` +
      (others.length > 0 ? ' If you meant another order, tell me its number.' : '')
    );
  }

  private async listOrders(tools: SupportTools, entities: Entities): Promise<string> {
    const listed = await tools.listMyOrders();
    if ('error' in listed) return UNAVAILABLE;
    const orders =
      entities.dates.length > 0
        ? listed.orders.filter((order) => entities.dates.includes(order.placedAt.slice(0, 10)))
        : listed.orders;
    if (orders.length === 0) {
      return entities.dates.length > 0
        ? `You placed no orders on ${entities.dates.map(formatDay).join(' or ')}.`
        : "You haven't placed any orders yet.";
    }
    return listOf(orders);
  }

  /** A return without an order number: list what can still be returned instead of guessing. */
  private async askWhichToReturn(tools: SupportTools, now: Date): Promise<string> {
    const { windowDays } = tools.getReturnPolicy();
    const listed = await tools.listMyOrders();
    if ('error' in listed) return UNAVAILABLE;
    const windowStart = now.getTime() - windowDays * 24 * 60 * 60 * 1000;
    const returnable = listed.orders.filter(
      (order) =>
        order.status === 'DELIVERED' && order.deliveredAt && Date.parse(order.deliveredAt) >= windowStart,
    );
    if (returnable.length === 0) {
      return `Delivered orders can be returned within ${windowDays} days of delivery, and none of your recent orders is in that window.`;
    }
    return (
      'Which order would you like to return? These can still be returned: ' +
      returnable.map((order) => `${order.number} (delivered ${formatDay(order.deliveredAt!)})`).join(', ') +
      '.'
    );
  }
}

const CAPABILITIES =
  'I can tell you where your orders are, list your recent orders, explain our return policy, start a return, ' +
  'or open a ticket for our support team.';

const UNAVAILABLE =
  "I can't reach our order system right now, so I can't look that up. Please try again in a few minutes, " +
  'or ask me to open a ticket for you.';

const notFound = (reference: string) =>
  `I couldn't find an order ${reference} on your account. Order numbers look like CM-7F3A9C21B4 and are in ` +
  'your order confirmation.';

/** The order number the conversation was last about, so "and when will it arrive?" follows on. */
function lastOrderNumber(history: HistoryMessage[]): string | undefined {
  for (const message of [...history].reverse()) {
    const matches = [...message.text.matchAll(ORDER_NUMBER)];
    const last = matches.at(-1);
    if (last) return `CM-${last[1]!.toUpperCase()}`;
  }
  return undefined;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
export const formatDay = (iso: string) =>
  dayFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));

export function formatMoney({ amount, currency }: { amount: number; currency: string }): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

export function statusPhrase(order: OrderView): string {
  const last = formatDay(order.updatedAt);
  switch (order.status) {
    case 'PENDING_PAYMENT':
      return 'is waiting for its payment to be confirmed';
    case 'PAID':
      return "is paid and waiting to be packed; it hasn't shipped yet";
    case 'FULFILLING':
      return "is being picked and packed; it hasn't shipped yet";
    case 'SHIPPED':
      return `shipped on ${formatDay(order.shippedAt ?? order.updatedAt)} and is on its way`;
    case 'DELIVERED':
      return `was delivered on ${formatDay(order.deliveredAt ?? order.updatedAt)}`;
    case 'CANCELLED':
      return `was cancelled on ${last}`;
    case 'PAYMENT_FAILED':
      return 'was not placed because the payment was declined';
    case 'REFUNDED':
      return `was refunded on ${last}`;
  }
}

const orderDetails = (order: OrderView) =>
  `placed ${formatDay(order.placedAt)}, ${order.itemCount} item${order.itemCount === 1 ? '' : 's'}, ` +
  `total ${formatMoney(order.total)}`;

function listOf(orders: OrderView[]): string {
  return (
    'Your recent orders:\n' +
    orders.map((order) => `- ${order.number}: ${order.status} (${orderDetails(order)})`).join('\n')
  );
}

function describeLookup(lookup: OrderLookup): string {
  if ('error' in lookup) return UNAVAILABLE;
  if (!lookup.found) {
    if (lookup.ambiguous) {
      return `Several of your orders match ${lookup.reference}: ${lookup.ambiguous.map((order) => order.number).join(', ')}. Which one do you mean?`;
    }
    return notFound(lookup.reference);
  }
  const { order } = lookup;
  return `Your order ${order.number} ${statusPhrase(order)} (${orderDetails(order)}).`;
}

function describeReturn(result: ReturnResult, tools: SupportTools): string {
  if ('error' in result) return UNAVAILABLE;
  if ('found' in result) {
    return result.ambiguous
      ? `Several of your orders match ${result.reference}: ${result.ambiguous.map((order) => order.number).join(', ')}. Which one would you like to return?`
      : notFound(result.reference);
  }
  const { order } = result;
  if (result.started) {
    return result.alreadyRequested
      ? `A return for order ${order.number} was already requested. Our team will confirm it, and ` +
          `${formatMoney(order.total)} goes back to your original payment method once the items arrive.`
      : `I've started a return for order ${order.number}. Please send the items back by ${formatDay(result.deadline)}; ` +
          `our team will confirm the return, and ${formatMoney(order.total)} goes back to your original payment ` +
          'method once the items arrive.';
  }
  switch (result.reason) {
    case 'ALREADY_REFUNDED':
      return `Order ${order.number} has already been refunded, so there is nothing to return.`;
    case 'WINDOW_CLOSED':
      return (
        `Order ${order.number} was delivered on ${formatDay(order.deliveredAt!)}, and its ` +
        `${tools.windowDays}-day return window closed on ${formatDay(result.deadline!)}, ` +
        "so I can't start a return. If something is wrong with it, I can open a ticket for our team."
      );
    case 'NOT_DELIVERED':
      return (
        `Order ${order.number} ${statusPhrase(order)}, so it can't be returned yet: returns start once an order is delivered.` +
        (order.status === 'PAID' || order.status === 'FULFILLING'
          ? ' Since it has not shipped, you can cancel it instead.'
          : '')
      );
  }
}
