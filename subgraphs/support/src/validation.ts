import { z } from 'zod';

export const MAX_MESSAGE_LENGTH = 2000;

export const askInputSchema = z.object({
  message: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`),
  conversationId: z.string().trim().min(1).max(128).nullish(),
});

export const idSchema = z.string().trim().min(1, 'must not be empty').max(128, 'is too long');

export const ticketPageSchema = z.object({ first: z.number().int().min(1).max(100) });
