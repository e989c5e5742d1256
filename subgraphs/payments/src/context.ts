import type { BaseContext } from '@cloudmart/runtime';
import type { PaymentLoaders } from './data/loaders';
import type { PaymentService } from './domain/payment-service';

export interface Context extends BaseContext {
  payments: PaymentService;
  /** Per-request DataLoaders: one BatchGetItem per entity type per request. */
  loaders: PaymentLoaders;
}
