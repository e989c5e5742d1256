// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { PaymentItem } from './data/items';

/** Only the key: the orders subgraph owns the rest. */
export interface OrderModel {
  id: string;
}

export type PaymentModel = PaymentItem;
