import type { SupportTools } from '../../domain/tools';

export type AssistantEngine = 'LOCAL' | 'OPENAI';

export interface HistoryMessage {
  role: 'CUSTOMER' | 'ASSISTANT';
  text: string;
}

export interface AssistantTurn {
  /** The customer's new message. */
  message: string;
  /** Earlier messages of the conversation, oldest first. */
  history: HistoryMessage[];
  /** The caller-bound tools of this turn (they record what they did). */
  tools: SupportTools;
  now: Date;
}

export interface AssistantReply {
  answer: string;
  engine: AssistantEngine;
}

/** The support assistant port: answers one customer message, using the turn's tools. */
export interface AssistantPort {
  readonly engine: AssistantEngine;
  reply(turn: AssistantTurn): Promise<AssistantReply>;
}
