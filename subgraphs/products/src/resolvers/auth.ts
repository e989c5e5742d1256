import { forbidden, requireIdentity, type Identity } from '@cloudmart/runtime';
import type { Context } from '../context';

/** Catalog and stock changes are for staff: guests are UNAUTHENTICATED, shoppers FORBIDDEN. */
export function requireAdmin(context: Context): Identity {
  const identity = requireIdentity(context.identity);
  if (identity.role !== 'ADMIN') throw forbidden('Only admins can change the catalog or stock.');
  return identity;
}
