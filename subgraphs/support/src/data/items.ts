import { z } from 'zod';

/** The stored shapes; items read back are parsed, so a malformed item fails at the boundary. */

export const supportTools = [
  'GET_ORDER_STATUS',
  'LIST_MY_ORDERS',
  'GET_RETURN_POLICY',
  'START_RETURN',
  'CREATE_TICKET',
] as const;
export type SupportToolName = (typeof supportTools)[number];

export const actionOutcomes = ['OK', 'NOT_FOUND', 'REFUSED', 'FAILED'] as const;
export type ActionOutcome = (typeof actionOutcomes)[number];

export const actionSchema = z.object({
  tool: z.enum(supportTools),
  outcome: z.enum(actionOutcomes),
  orderNumber: z.string().optional(),
  detail: z.string(),
});
export type SupportActionItem = z.infer<typeof actionSchema>;

export const messageSchema = z.object({
  role: z.enum(['CUSTOMER', 'ASSISTANT']),
  text: z.string(),
  actions: z.array(actionSchema),
  at: z.string(),
});
export type MessageItem = z.infer<typeof messageSchema>;

export const conversationItemSchema = z.object({
  id: z.string(),
  userId: z.string(),
  messages: z.array(messageSchema),
  /** Bumped by every append; appends are conditioned on it. */
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationItem = z.infer<typeof conversationItemSchema>;

export const ticketStatuses = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  userId: z.string(),
  summary: z.string(),
  status: z.enum(ticketStatuses),
  orderNumber: z.string().optional(),
  conversationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TicketItem = z.infer<typeof ticketItemSchema>;

export const returnItemSchema = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  userId: z.string(),
  status: z.literal('REQUESTED'),
  deliveredAt: z.string(),
  createdAt: z.string(),
});
export type ReturnItem = z.infer<typeof returnItemSchema>;
