import type DataLoader from 'dataloader';
import type { BaseContext } from '@cloudmart/runtime';
import type { PaymentItem } from './data/items';
import type { PaymentService } from './domain/payment-service';

export interface Context extends BaseContext {
  payments: PaymentService;
  /** Per request: every Order.payment in one gateway fetch is one BatchGetItem. */
  paymentByOrderId: DataLoader<string, PaymentItem | null>;
}
