import { randomUUID } from 'node:crypto';
import {
  appError,
  ErrorCode,
  forbidden,
  notFound,
  retryLater,
  type Identity,
  type Logger,
  type RateLimiter,
} from '@cloudmart/runtime';
import { ConversationConflictError } from '../data/errors';
import type {
  ConversationItem,
  MessageItem,
  SupportActionItem,
  TicketItem,
  TicketStatus,
} from '../data/items';
import type { ConversationStore } from '../data/conversation-store';
import type { TicketStore } from '../data/ticket-store';
import type { AssistantEngine, AssistantPort } from '../services/assistant/port';
import { SupportTools, type ToolsDeps } from './tools';

/** A conversation holds at most this many messages (a turn adds two); then a new one starts. */
export const MAX_CONVERSATION_MESSAGES = 200;
const APPEND_ATTEMPTS = 5;

export interface SupportReplyModel {
  conversationId: string;
  answer: string;
  actions: SupportActionItem[];
  ticket: TicketItem | null;
  engine: AssistantEngine;
}

export interface SupportDeps extends ToolsDeps {
  conversations: ConversationStore;
  tickets: TicketStore;
  assistant: AssistantPort;
  /** Questions per user: a turn may be a paid model call, so no one may ask without bound. */
  askLimit: RateLimiter;
  clock?: () => Date;
}

export interface AskInput {
  message: string;
  conversationId?: string | null;
}

/** The caller may read the conversation: its owner, or an admin. Anyone else gets NOT_FOUND, as for an unknown id. */
function assertVisible(
  caller: Identity,
  conversation: ConversationItem | null,
  id: string,
): ConversationItem {
  if (!conversation || (conversation.userId !== caller.userId && caller.role !== 'ADMIN')) {
    throw notFound('Conversation', id);
  }
  return conversation;
}

/** Support conversations and tickets. */
export class Support {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: SupportDeps,
    private readonly log: Logger,
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async conversation(caller: Identity, id: string): Promise<ConversationItem> {
    return assertVisible(caller, await this.deps.conversations.get(id), id);
  }

  /**
   * One turn: the customer's message is answered by the assistant with the caller-bound tools,
   * and both messages are appended to the conversation (only its owner may continue it, admins
   * included: an admin cannot speak in a customer's conversation).
   */
  async ask(
    caller: Identity,
    authorization: string,
    requestId: string,
    input: AskInput,
  ): Promise<SupportReplyModel> {
    const wait = await this.deps.askLimit.take(caller.userId);
    if (wait !== null) {
      throw retryLater(
        ErrorCode.RATE_LIMITED,
        `You have asked support many questions in a short time; ask again in ${wait} s.`,
        wait,
      );
    }
    const now = this.clock();
    let conversation = input.conversationId ? await this.deps.conversations.get(input.conversationId) : null;
    if (input.conversationId && (!conversation || conversation.userId !== caller.userId)) {
      throw notFound('Conversation', input.conversationId);
    }
    if (conversation && conversation.messages.length + 2 > MAX_CONVERSATION_MESSAGES) {
      throw appError(
        ErrorCode.BAD_USER_INPUT,
        'This conversation is full: start a new one (omit conversationId).',
        {
          reason: 'CONVERSATION_FULL',
        },
      );
    }
    const conversationId = conversation?.id ?? randomUUID();
    const tools = new SupportTools(this.deps, { caller, authorization, requestId, conversationId, now });
    const history = (conversation?.messages ?? []).map(({ role, text }) => ({ role, text }));
    const reply = await this.deps.assistant.reply({ message: input.message, history, tools, now });
    const at = this.clock().toISOString();
    const messages: MessageItem[] = [
      { role: 'CUSTOMER', text: input.message, actions: [], at: now.toISOString() },
      { role: 'ASSISTANT', text: reply.answer, actions: tools.actions, at },
    ];
    if (!conversation) {
      conversation = {
        id: conversationId,
        userId: caller.userId,
        messages,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await this.deps.conversations.create(conversation);
    } else {
      await this.append(conversation, messages, at);
    }
    this.log.info(
      { conversationId, engine: reply.engine, tools: tools.actions.map((action) => action.tool) },
      'support question answered',
    );
    return {
      conversationId,
      answer: reply.answer,
      actions: tools.actions,
      ticket: tools.ticket,
      engine: reply.engine,
    };
  }

  /** Appends, re-reading on a lost race (two turns of one conversation at once both get recorded). */
  private async append(conversation: ConversationItem, messages: MessageItem[], at: string): Promise<void> {
    let current = conversation;
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      try {
        await this.deps.conversations.append(current, messages, at);
        return;
      } catch (error) {
        if (!(error instanceof ConversationConflictError)) throw error;
        const fresh = await this.deps.conversations.get(current.id);
        if (!fresh) throw error;
        current = fresh;
      }
    }
    throw appError(ErrorCode.CONFLICT, 'The conversation kept changing; try again.');
  }

  async myTickets(caller: Identity): Promise<TicketItem[]> {
    return this.deps.tickets.listByUser(caller.userId, 50);
  }

  async tickets(caller: Identity, status: TicketStatus, first: number): Promise<TicketItem[]> {
    if (caller.role !== 'ADMIN') throw forbidden('Only admins can list support tickets.');
    return this.deps.tickets.listByStatus(status, first);
  }
}
