import { orderStatuses } from '@cloudmart/orders/contract';
import { z } from 'zod';

/**
 * The orders subgraph, as the support assistant sees it: read through its GraphQL API with the
 * Authorization header this request came with (the internal token the gateway signed for the
 * caller), so the orders subgraph's owner/admin checks decide what the assistant can see. The assistant never holds more rights than the person talking to it.
 */

const orderSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(orderStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
  total: z.object({ amount: z.number().int(), currency: z.string() }),
  items: z.array(z.object({ quantity: z.number().int() })),
  events: z.array(z.object({ status: z.enum(orderStatuses), at: z.string() })),
  user: z.object({ id: z.string() }),
});
export type OrderSummary = z.infer<typeof orderSchema>;

export interface OrdersPort {
  /** The order with this number if the caller may see it, else null (missing and not-theirs look the same). */
  byNumber(caller: CallerCredentials, number: string): Promise<OrderSummary | null>;
  /** The caller's newest orders, newest first. */
  listMine(caller: CallerCredentials, first: number): Promise<OrderSummary[]>;
}

export interface CallerCredentials {
  userId: string;
  /** The request's Authorization header (the gateway's token for the caller), forwarded unchanged. */
  authorization: string;
  requestId?: string;
}

/** The orders service could not answer (down, timed out, or an unexpected error). */
export class OrdersUnavailableError extends Error {
  override name = 'OrdersUnavailableError';
}

const ORDER_FIELDS = `id number status createdAt updatedAt total { amount currency } items { quantity }
  events { status at } user { id }`;

const BY_NUMBER = `query SupportOrderByNumber($number: String!) { orderByNumber(number: $number) { ${ORDER_FIELDS} } }`;

// User.orders through the orders subgraph's _entities: the same owner-or-admin check as `me { orders }`.
const MINE = `query SupportMyOrders($representations: [_Any!]!, $first: Int) {
  _entities(representations: $representations) { ... on User { orders(first: $first) { edges { node { ${ORDER_FIELDS} } } } } }
}`;

const responseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(z.object({ message: z.string(), extensions: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
});

/** Codes meaning "not for you / not there": the assistant answers as if the order did not exist. */
const hiddenCodes = new Set(['FORBIDDEN', 'NOT_FOUND']);

export class GraphQLOrdersClient implements OrdersPort {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async byNumber(caller: CallerCredentials, number: string): Promise<OrderSummary | null> {
    const data = await this.post(caller, BY_NUMBER, { number });
    if (!data?.orderByNumber) return null;
    return orderSchema.parse(data.orderByNumber);
  }

  async listMine(caller: CallerCredentials, first: number): Promise<OrderSummary[]> {
    const data = await this.post(caller, MINE, {
      representations: [{ __typename: 'User', id: caller.userId }],
      first,
    });
    const entities = z
      .array(z.object({ orders: z.object({ edges: z.array(z.object({ node: orderSchema })) }) }).nullable())
      .parse(data?._entities ?? []);
    return entities[0]?.orders.edges.map((edge) => edge.node) ?? [];
  }

  /** One GraphQL call; null data when the orders subgraph hid the order (FORBIDDEN/NOT_FOUND). */
  private async post(caller: CallerCredentials, query: string, variables: Record<string, unknown>) {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: caller.authorization,
          ...(caller.requestId ? { 'x-request-id': caller.requestId } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new OrdersUnavailableError(`orders subgraph unreachable: ${String(error)}`);
    }
    const parsed = responseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new OrdersUnavailableError(`orders subgraph answered HTTP ${response.status}`);
    const { data, errors = [] } = parsed.data;
    const unexpected = errors.filter((error) => !hiddenCodes.has(String(error.extensions?.code)));
    if (unexpected.length > 0) {
      throw new OrdersUnavailableError(
        `orders subgraph: ${unexpected.map((error) => error.message).join('; ')}`,
      );
    }
    return errors.length > 0 ? null : (data ?? null);
  }
}
