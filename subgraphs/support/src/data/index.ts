import { openDynamoData, type DynamoConfig } from '@cloudmart/runtime';
import { ConversationStore } from './conversation-store';
import { supportTableRoles } from './dynamo';
import { ReturnStore } from './return-store';
import { TicketStore } from './ticket-store';

/** Everything the support subgraph keeps in DynamoDB, behind its stores. */
export type SupportData = Awaited<ReturnType<typeof openSupportData>>;

/** Connects and creates the subgraph's tables if they are missing. */
export const openSupportData = (config: DynamoConfig) =>
  openDynamoData(config, 'support', supportTableRoles, (client, tables) => ({
    conversations: new ConversationStore(client, tables.conversations),
    tickets: new TicketStore(client, tables.tickets),
    returns: new ReturnStore(client, tables.returns),
  }));
