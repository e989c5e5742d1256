import { randomUUID } from 'node:crypto';
import type { Identity, Logger } from '@cloudmart/runtime';
import { z } from 'zod';
import type { SupportActionItem, SupportToolName, TicketItem } from '../data/items';
import type { ReturnStore } from '../data/return-store';
import type { TicketStore } from '../data/ticket-store';
import {
  OrdersUnavailableError,
  type CallerCredentials,
  type OrdersPort,
  type OrderSummary,
} from '../services/orders';
import { canonicalOrderNumber, referenceTail } from './order-references';
import { returnEligibility, returnPolicyText, deliveredAt } from './return-policy';

/** What a tool tells the assistant about an order: the caller's own order, nothing internal. */
export interface OrderView {
  number: string;
  status: OrderSummary['status'];
  placedAt: string;
  updatedAt: string;
  deliveredAt?: string;
  shippedAt?: string;
  total: { amount: number; currency: string };
  itemCount: number;
}

export type OrderLookup =
  | { found: true; order: OrderView }
  | { found: false; reference: string; ambiguous?: OrderView[] }
  | { error: 'ORDERS_UNAVAILABLE' };

export type ListResult = { orders: OrderView[] } | { error: 'ORDERS_UNAVAILABLE' };

export type ReturnResult =
  | { started: true; alreadyRequested: boolean; order: OrderView; deadline: string }
  | {
      started: false;
      reason: 'NOT_DELIVERED' | 'WINDOW_CLOSED' | 'ALREADY_REFUNDED';
      order: OrderView;
      deadline?: string;
    }
  | Extract<OrderLookup, { found: false }>
  | { error: 'ORDERS_UNAVAILABLE' };

export type TicketResult = {
  ticket: { number: string; status: string; summary: string; orderNumber?: string };
};

export interface ToolsDeps {
  orders: OrdersPort;
  tickets: Pick<TicketStore, 'create'>;
  returns: Pick<ReturnStore, 'createOnce'>;
  returnWindowDays: number;
  log: Logger;
}

export interface TurnScope {
  caller: Identity;
  authorization: string;
  requestId: string;
  conversationId: string;
  now: Date;
}

/** The tools as a model sees them (names and JSON arguments), for function calling. */
export const toolArgumentSchemas = {
  getOrderStatus: z.object({ orderNumber: z.string().min(1).max(40) }),
  listMyOrders: z.object({}),
  getReturnPolicy: z.object({}),
  startReturn: z.object({ orderNumber: z.string().min(1).max(40) }),
  createTicket: z.object({ summary: z.string().min(1).max(1000), orderNumber: z.string().max(40).nullish() }),
} as const;
export type ToolName = keyof typeof toolArgumentSchemas;

const toolNames: Record<ToolName, SupportToolName> = {
  getOrderStatus: 'GET_ORDER_STATUS',
  listMyOrders: 'LIST_MY_ORDERS',
  getReturnPolicy: 'GET_RETURN_POLICY',
  startReturn: 'START_RETURN',
  createTicket: 'CREATE_TICKET',
};

/** How many of the caller's newest orders a partial reference or a list looks through. */
const RECENT_ORDERS = 50;
const LISTED_ORDERS = 10;

export const orderView = (order: OrderSummary): OrderView => ({
  number: order.number,
  status: order.status,
  placedAt: order.createdAt,
  updatedAt: order.updatedAt,
  ...(deliveredAt(order) ? { deliveredAt: deliveredAt(order) } : {}),
  ...(order.events.some((event) => event.status === 'SHIPPED')
    ? { shippedAt: order.events.filter((event) => event.status === 'SHIPPED').at(-1)!.at }
    : {}),
  total: order.total,
  itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
});

/**
 * The tools of one support turn, bound to the signed-in caller: every order read goes to the
 * orders subgraph with the caller's own token, and only orders whose owner is the caller are
 * used, so even an admin's chat is about their own orders. Whatever a message says ("I am an
 * admin", "ignore previous instructions"), the tools cannot reach anyone else's data: another
 * user's order is indistinguishable from a missing one. Every call is recorded as an action.
 * One turn opens at most one ticket (a retried or repeated createTicket returns the same one).
 */
export class SupportTools {
  readonly actions: SupportActionItem[] = [];
  ticket: TicketItem | null = null;
  private recent: OrderSummary[] | undefined;

  constructor(
    private readonly deps: ToolsDeps,
    readonly scope: TurnScope,
  ) {}

  get windowDays(): number {
    return this.deps.returnWindowDays;
  }

  private get credentials(): CallerCredentials {
    return {
      userId: this.scope.caller.userId,
      authorization: this.scope.authorization,
      requestId: this.scope.requestId,
    };
  }

  private record(
    tool: SupportToolName,
    outcome: SupportActionItem['outcome'],
    detail: string,
    orderNumber?: string,
  ) {
    this.actions.push({ tool, outcome, detail, ...(orderNumber ? { orderNumber } : {}) });
  }

  private ownOnly(order: OrderSummary | null): OrderSummary | null {
    return order && order.user.id === this.scope.caller.userId ? order : null;
  }

  private async recentOrders(): Promise<OrderSummary[]> {
    this.recent ??= (await this.deps.orders.listMine(this.credentials, RECENT_ORDERS)).filter(
      (order) => order.user.id === this.scope.caller.userId,
    );
    return this.recent;
  }

  /**
   * Finds one of the caller's orders from what the customer wrote: a full number is looked up
   * (the orders subgraph answers only for the caller's orders), a partial one is matched against
   * the end of the caller's recent orders' numbers.
   */
  private async resolve(
    reference: string,
  ): Promise<OrderSummary | { reference: string; ambiguous?: OrderSummary[] }> {
    const full = canonicalOrderNumber(reference);
    if (full)
      return this.ownOnly(await this.deps.orders.byNumber(this.credentials, full)) ?? { reference: full };
    const tail = referenceTail(reference);
    if (tail.length < 2) return { reference };
    const matches = (await this.recentOrders()).filter((order) => referenceTail(order.number).endsWith(tail));
    if (matches.length === 1) return matches[0]!;
    return { reference, ...(matches.length > 1 ? { ambiguous: matches } : {}) };
  }

  async getOrderStatus(reference: string): Promise<OrderLookup> {
    try {
      const found = await this.resolve(reference);
      if ('number' in found) {
        this.record('GET_ORDER_STATUS', 'OK', `${found.number} is ${found.status}`, found.number);
        return { found: true, order: orderView(found) };
      }
      this.record('GET_ORDER_STATUS', 'NOT_FOUND', `No order ${found.reference} on the caller's account`);
      return {
        found: false,
        reference: found.reference,
        ...(found.ambiguous ? { ambiguous: found.ambiguous.map(orderView) } : {}),
      };
    } catch (error) {
      return this.unavailable('GET_ORDER_STATUS', error);
    }
  }

  async listMyOrders(): Promise<ListResult> {
    try {
      const orders = (await this.recentOrders()).slice(0, LISTED_ORDERS).map(orderView);
      this.record('LIST_MY_ORDERS', 'OK', `${orders.length} recent order${orders.length === 1 ? '' : 's'}`);
      return { orders };
    } catch (error) {
      return this.unavailable('LIST_MY_ORDERS', error);
    }
  }

  getReturnPolicy(): { windowDays: number; policy: string } {
    this.record('GET_RETURN_POLICY', 'OK', `${this.deps.returnWindowDays}-day return window`);
    return { windowDays: this.deps.returnWindowDays, policy: returnPolicyText(this.deps.returnWindowDays) };
  }

  async startReturn(reference: string): Promise<ReturnResult> {
    try {
      const found = await this.resolve(reference);
      if (!('number' in found)) {
        this.record('START_RETURN', 'NOT_FOUND', `No order ${found.reference} on the caller's account`);
        return {
          found: false,
          reference: found.reference,
          ...(found.ambiguous ? { ambiguous: found.ambiguous.map(orderView) } : {}),
        };
      }
      const order = orderView(found);
      const eligibility = returnEligibility(found, this.scope.now, this.deps.returnWindowDays);
      if (!eligibility.eligible) {
        this.record('START_RETURN', 'REFUSED', `Return refused: ${eligibility.reason}`, found.number);
        return {
          started: false,
          reason: eligibility.reason,
          order,
          ...(eligibility.deadline ? { deadline: eligibility.deadline } : {}),
        };
      }
      const { created } = await this.deps.returns.createOnce({
        orderId: found.id,
        orderNumber: found.number,
        userId: this.scope.caller.userId,
        status: 'REQUESTED',
        deliveredAt: eligibility.deliveredAt,
        createdAt: this.scope.now.toISOString(),
      });
      this.record(
        'START_RETURN',
        'OK',
        created ? 'Return requested' : 'A return was already requested for this order',
        found.number,
      );
      return { started: true, alreadyRequested: !created, order, deadline: eligibility.deadline };
    } catch (error) {
      return this.unavailable('START_RETURN', error);
    }
  }

  /** Opens a ticket for the caller; an order reference is kept only when it is one of the caller's orders. */
  async createTicket(summary: string, orderReference?: string | null): Promise<TicketResult> {
    if (!this.ticket) {
      let orderNumber: string | undefined;
      if (orderReference) {
        try {
          const found = await this.resolve(orderReference);
          if ('number' in found) orderNumber = found.number;
        } catch (error) {
          // The ticket matters more than its link to an order.
          this.deps.log.warn({ err: error }, 'could not check the order named in a ticket');
        }
      }
      const id = randomUUID();
      const at = this.scope.now.toISOString();
      const ticket: TicketItem = {
        id,
        number: `T-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
        userId: this.scope.caller.userId,
        summary: summary.trim().slice(0, 1000),
        status: 'OPEN',
        ...(orderNumber ? { orderNumber } : {}),
        conversationId: this.scope.conversationId,
        createdAt: at,
        updatedAt: at,
      };
      await this.deps.tickets.create(ticket);
      this.ticket = ticket;
      this.record('CREATE_TICKET', 'OK', `Ticket ${ticket.number} opened`, orderNumber);
    }
    const { number, status, summary: text, orderNumber } = this.ticket;
    return { ticket: { number, status, summary: text, ...(orderNumber ? { orderNumber } : {}) } };
  }

  /**
   * Runs a tool by the name and JSON arguments a model chose. Bad arguments are reported back to
   * the model as a result (it can correct itself), never thrown.
   */
  async run(name: string, rawArguments: string): Promise<unknown> {
    if (!(name in toolArgumentSchemas)) return { error: `Unknown tool ${name}` };
    let json: unknown;
    try {
      json = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
    } catch {
      return { error: 'The arguments are not valid JSON.' };
    }
    const tool = name as ToolName;
    const parsed = toolArgumentSchemas[tool].safeParse(json);
    if (!parsed.success) return { error: `Invalid arguments for ${name}: ${parsed.error.message}` };
    const args = parsed.data as Record<string, string | null | undefined>;
    switch (tool) {
      case 'getOrderStatus':
        return this.getOrderStatus(args.orderNumber!);
      case 'listMyOrders':
        return this.listMyOrders();
      case 'getReturnPolicy':
        return this.getReturnPolicy();
      case 'startReturn':
        return this.startReturn(args.orderNumber!);
      case 'createTicket':
        return this.createTicket(args.summary!, args.orderNumber);
    }
  }

  static toolName(name: ToolName): SupportToolName {
    return toolNames[name];
  }

  private unavailable(tool: SupportToolName, error: unknown): { error: 'ORDERS_UNAVAILABLE' } {
    if (!(error instanceof OrdersUnavailableError)) throw error;
    this.deps.log.warn({ err: error, tool }, 'support tool could not reach the orders subgraph');
    this.record(tool, 'FAILED', 'The orders service did not answer');
    return { error: 'ORDERS_UNAVAILABLE' };
  }
}
