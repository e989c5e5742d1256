import { forbidden, requireIdentity, type Identity } from '@cloudmart/runtime';
import type { Context } from '../context';

/** Every insights field is for staff: guests are UNAUTHENTICATED, shoppers FORBIDDEN. */
export function requireAdmin(context: Context): Identity {
  const identity = requireIdentity(context.identity);
  if (identity.role !== 'ADMIN') throw forbidden('Only admins can see insights.');
  return identity;
}
