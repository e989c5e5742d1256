import { parseInput, requireIdentity, scalarResolvers } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';
import { askInputSchema, idSchema, ticketPageSchema } from '../validation';

const user = (id: string) => ({ __typename: 'User' as const, id });

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    supportConversation: async (_parent, { id }, context) => {
      const caller = requireIdentity(context.identity);
      return context.support.conversation(caller, parseInput(idSchema, id));
    },
    myTickets: async (_parent, _args, context) => {
      const caller = requireIdentity(context.identity);
      return context.support.myTickets(caller);
    },
    tickets: async (_parent, args, context) => {
      const caller = requireIdentity(context.identity);
      const { first } = parseInput(ticketPageSchema, { first: args.first ?? 50 });
      return context.support.tickets(caller, args.status ?? 'OPEN', first);
    },
  },
  Mutation: {
    askSupport: async (_parent, args, context) => {
      const caller = requireIdentity(context.identity);
      return context.support.ask(
        caller,
        context.authorization ?? '',
        context.requestId,
        parseInput(askInputSchema, args),
      );
    },
  },
  SupportReply: {
    ticket: (reply) => reply.ticket,
  },
  SupportConversation: {
    user: (conversation) => user(conversation.userId),
  },
  SupportMessage: {
    actions: (message) => message.actions,
  },
  SupportAction: {
    orderNumber: (action) => action.orderNumber ?? null,
  },
  Ticket: {
    orderNumber: (ticket) => ticket.orderNumber ?? null,
    conversationId: (ticket) => ticket.conversationId ?? null,
    user: (ticket) => user(ticket.userId),
  },
};
