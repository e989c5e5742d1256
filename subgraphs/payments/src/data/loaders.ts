import DataLoader from 'dataloader';
import type { PaymentItem } from './items';
import type { PaymentStore } from './payment-store';

export interface PaymentLoaders {
  /** Every Order.payment in one gateway fetch is one BatchGetItem. */
  paymentByOrderId: DataLoader<string, PaymentItem | null>;
}

/** Fresh per request, so nothing is cached across callers. */
export function createLoaders(payments: PaymentStore): PaymentLoaders {
  return {
    paymentByOrderId: new DataLoader(async (orderIds) => {
      const found = new Map((await payments.getMany(orderIds)).map((item) => [item.orderId, item]));
      return orderIds.map((id) => found.get(id) ?? null);
    }),
  };
}
