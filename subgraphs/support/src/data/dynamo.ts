import { tableDefinitions, tableName } from '@cloudmart/runtime';

export interface SupportTables {
  conversations: string;
  tickets: string;
  returns: string;
}

/** Tables this subgraph owns and creates at start. */
export const supportTableDefinitions = [
  tableDefinitions.supportConversations,
  tableDefinitions.supportTickets,
  tableDefinitions.supportReturns,
];

export const supportTablesFor = (prefix: string): SupportTables => ({
  conversations: tableName(prefix, tableDefinitions.supportConversations),
  tickets: tableName(prefix, tableDefinitions.supportTickets),
  returns: tableName(prefix, tableDefinitions.supportReturns),
});
