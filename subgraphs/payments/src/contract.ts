// What the payments subgraph offers the others: its tables. (Orders reaches payments through its
// internal HTTP API, not its tables.) Other packages import this as `@cloudmart/payments/contract`.
import type { TableDefinition } from '@cloudmart/runtime';

export const paymentsTables = {
  /** One payment per order, keyed by the order's id (so Order.payment batches by key). */
  payments: {
    suffix: 'payments',
    owner: 'payments',
    partitionKey: { name: 'orderId', type: 'S' },
  },
  /**
   * The append-only payment ledger: sort key is the entry type (AUTHORIZED, DECLINED, CAPTURED,
   * REFUNDED), written with attribute_not_exists, so each happens at most once per payment.
   */
  paymentLedger: {
    suffix: 'payment-ledger',
    owner: 'payments',
    partitionKey: { name: 'paymentId', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;
