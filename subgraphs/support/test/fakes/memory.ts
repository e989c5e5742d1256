import type { ReturnItem, TicketItem } from '../../src/data/items';
import type { CallerCredentials, OrderSummary, OrdersPort } from '../../src/services/orders';

/**
 * In-memory stand-ins for the support subgraph's own ports, for the assistant contract tests
 * (the gateway tests use the real orders subgraph and DynamoDB). Like the orders subgraph, the
 * orders port answers only with the caller's own orders.
 */
export class MemoryOrders implements OrdersPort {
  constructor(readonly orders: OrderSummary[]) {}

  async byNumber(caller: CallerCredentials, number: string) {
    return this.orders.find((order) => order.number === number && order.user.id === caller.userId) ?? null;
  }

  async listMine(caller: CallerCredentials, first: number) {
    return this.orders.filter((order) => order.user.id === caller.userId).slice(0, first);
  }
}

export class MemoryTickets {
  readonly tickets: TicketItem[] = [];
  async create(ticket: TicketItem) {
    this.tickets.push(ticket);
  }
}

export class MemoryReturns {
  readonly returns = new Map<string, ReturnItem>();
  async createOnce(request: ReturnItem) {
    const existing = this.returns.get(request.orderId);
    if (existing) return { request: existing, created: false };
    this.returns.set(request.orderId, request);
    return { request, created: true };
  }
}

export function order(
  userId: string,
  number: string,
  status: OrderSummary['status'],
  at: string,
): OrderSummary {
  const events: OrderSummary['events'] = [{ status: 'PAID', at }];
  if (['SHIPPED', 'DELIVERED'].includes(status)) events.push({ status: 'SHIPPED', at });
  if (status === 'DELIVERED') events.push({ status: 'DELIVERED', at });
  return {
    id: `id-${number}`,
    number,
    status,
    createdAt: at,
    updatedAt: at,
    total: { amount: 5_399, currency: 'USD' },
    items: [{ quantity: 2 }],
    events,
    user: { id: userId },
  };
}
