// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { ConversationItem, MessageItem, SupportActionItem, TicketItem } from './data/items';
import type { SupportReplyModel as Reply } from './domain/support';

export type SupportReplyModel = Reply;
export type TicketModel = TicketItem;
export type SupportConversationModel = ConversationItem;
export type SupportMessageModel = MessageItem;
export type SupportActionModel = SupportActionItem;

/** Only the key: the users subgraph owns the rest. */
export interface UserModel {
  id: string;
}
