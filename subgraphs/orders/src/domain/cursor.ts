import { z } from 'zod';
import { badUserInput } from '@cloudmart/runtime';
import type { OrderPageKey } from '../data/order-store';

/**
 * User.orders cursors: the byUser index key of an order, base64url JSON. Not secret: a cursor is
 * checked against the user whose orders are listed, so a made-up one can only skip within them.
 */
const keySchema = z.object({ id: z.string(), userId: z.string(), createdAt: z.string() });

export const encodeCursor = (key: OrderPageKey) =>
  Buffer.from(JSON.stringify({ id: key.id, userId: key.userId, createdAt: key.createdAt })).toString(
    'base64url',
  );

export function decodeCursor(cursor: string, userId: string): OrderPageKey {
  try {
    const key = keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (key.userId === userId) return key;
  } catch {
    // fall through to the client error below
  }
  throw badUserInput('`after` is not a cursor from this list.', { field: 'after' });
}
