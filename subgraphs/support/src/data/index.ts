import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, type DynamoConfig } from '@cloudmart/runtime';
import { ConversationStore } from './conversation-store';
import { supportTableDefinitions, supportTablesFor, type SupportTables } from './dynamo';
import { ReturnStore } from './return-store';
import { TicketStore } from './ticket-store';

/** Everything the support subgraph keeps in DynamoDB, behind its stores. */
export interface SupportData {
  client: DynamoDBDocumentClient;
  tables: SupportTables;
  conversations: ConversationStore;
  tickets: TicketStore;
  returns: ReturnStore;
  close(): void;
}

/** Connects and creates the subgraph's tables if they are missing. */
export async function openSupportData(config: DynamoConfig): Promise<SupportData> {
  const client = createDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, supportTableDefinitions);
  const tables = supportTablesFor(config.DYNAMODB_TABLE_PREFIX);
  return {
    client,
    tables,
    conversations: new ConversationStore(client, tables.conversations),
    tickets: new TicketStore(client, tables.tickets),
    returns: new ReturnStore(client, tables.returns),
    close: () => client.destroy(),
  };
}
