// What the support subgraph offers the others: its tables (no other subgraph reads them). Other
// packages import this as `@cloudmart/support/contract`.
import type { TableDefinition } from '@cloudmart/runtime';

export const supportTables = {
  /**
   * Support conversations: one item per conversation holding its messages (capped, see the
   * support subgraph); `version` guards appends.
   */
  supportConversations: {
    suffix: 'support-conversations',
    owner: 'support',
    partitionKey: { name: 'id', type: 'S' },
  },
  /** Support tickets. `byUser` lists a user's newest first; `byStatus` an admin queue, oldest first. */
  supportTickets: {
    suffix: 'support-tickets',
    owner: 'support',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'byUser',
        partitionKey: { name: 'userId', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
  },
  /**
   * Return requests started by the support assistant: one per order (keyed by the order's id and
   * written with attribute_not_exists), so asking twice never makes two returns.
   */
  supportReturns: {
    suffix: 'support-returns',
    owner: 'support',
    partitionKey: { name: 'orderId', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;
