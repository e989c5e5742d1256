import { tableName } from '@cloudmart/runtime';
import { supportTables } from '../contract';

export interface SupportTables {
  conversations: string;
  tickets: string;
  returns: string;
}

/** Tables this subgraph owns and creates at start. */
export const supportTableDefinitions = Object.values(supportTables);

export const supportTablesFor = (prefix: string): SupportTables => ({
  conversations: tableName(prefix, supportTables.supportConversations),
  tickets: tableName(prefix, supportTables.supportTickets),
  returns: tableName(prefix, supportTables.supportReturns),
});
