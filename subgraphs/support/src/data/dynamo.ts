import type { TableNames } from '@cloudmart/runtime';
import { supportTables } from '../contract';

/** The support subgraph's tables, by role (all its own). */
export const supportTableRoles = {
  conversations: supportTables.supportConversations,
  tickets: supportTables.supportTickets,
  returns: supportTables.supportReturns,
};
export type SupportTables = TableNames<typeof supportTableRoles>;
