// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { CartLine, OrderItem, OrderLine } from './data/items';

export type OrderModel = OrderItem;

/** An order line with its order's currency, which the Money fields need. */
export type OrderItemModel = OrderLine & { currency: string };

export interface CartModel {
  lines: CartLine[];
}

export type CartItemModel = CartLine;

/** Only the key: the users subgraph owns the rest. */
export interface UserModel {
  id: string;
}

export interface OrderConnectionModel {
  edges: { cursor: string; node: OrderItem }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A status history entry, with its order (which `OrderEvent.order` returns). */
export type OrderEventModel = OrderItem['events'][number] & { order: OrderItem };
