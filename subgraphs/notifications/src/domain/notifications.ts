// What people do with notifications through GraphQL: their preferences, their history, and (admins)
// the dead letters and resends. The access rule lives here once: a user's own, or any for an admin.
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { z } from 'zod';
import { appError, badUserInput, ErrorCode, forbidden, notFound, parseInput, type Identity } from '@cloudmart/runtime';
import type { NotificationItem, PreferenceItem } from '../data/items';
import { NotificationStore } from '../data/notification-store';
import type { PreferenceStore } from '../data/preference-store';
import type { Notifier } from './notifier';

const mayAccess = (caller: Identity, userId: string) => caller.role === 'ADMIN' || caller.userId === userId;

const pageSchema = z.object({ first: z.number().int().min(1, '`first` must be 1 to 50.').max(50, '`first` must be 1 to 50.') });

export interface PreferencesView {
  email: true;
  sms: boolean;
  phoneNumber: string | null;
}

export interface PreferencesInput {
  sms: boolean;
  /** Undefined: keep the saved one; null: remove it. */
  phoneNumber?: string | null;
}

/** A phone number as E.164 if it is a valid number of its country's plan; BAD_USER_INPUT otherwise. */
export function normalizePhoneNumber(input: string): string {
  // Bounded before the parser sees it: a number with its spaces and dashes is far shorter.
  if (input.length > 32) throw badUserInput('`phoneNumber` is too long.', { field: 'phoneNumber' });
  if (!input.trim().startsWith('+'))
    throw badUserInput('`phoneNumber` must start with + and the country code, e.g. +1 415 555 0123.', { field: 'phoneNumber' });
  try {
    const number = parsePhoneNumberWithError(input);
    if (number.isValid()) return number.number;
  } catch {
    // the client error below
  }
  throw badUserInput('`phoneNumber` is not a valid phone number.', { field: 'phoneNumber' });
}

const view = (item: PreferenceItem | null): PreferencesView => ({
  email: true,
  sms: item?.sms ?? false,
  phoneNumber: item?.phoneNumber ?? null,
});

export class Notifications {
  constructor(
    private readonly store: NotificationStore,
    private readonly preferences: PreferenceStore,
    private readonly notifier: Notifier,
  ) {}

  /** `item` is what a DataLoader read for the user (null: defaults). */
  preferencesOf(caller: Identity, userId: string, item: PreferenceItem | null): PreferencesView {
    if (!mayAccess(caller, userId)) throw forbidden("Only the user themself or an admin can see a user's notification preferences.");
    return view(item);
  }

  async updatePreferences(caller: Identity, input: PreferencesInput): Promise<PreferencesView> {
    const saved = await this.preferences.get(caller.userId);
    const phoneNumber =
      input.phoneNumber === undefined ? saved?.phoneNumber : input.phoneNumber === null ? undefined : normalizePhoneNumber(input.phoneNumber);
    if (input.sms && !phoneNumber)
      throw badUserInput('Texts need a phone number: give `phoneNumber` with `sms: true`.', { field: 'phoneNumber' });
    const item: PreferenceItem = { userId: caller.userId, sms: input.sms, phoneNumber, updatedAt: new Date().toISOString() };
    await this.preferences.put(item);
    return view(item);
  }

  async listOfUser(caller: Identity, userId: string, page: { first?: number | null; after?: string | null }) {
    if (!mayAccess(caller, userId)) throw forbidden("Only the user themself or an admin can see a user's notifications.");
    const { first } = parseInput(pageSchema, { first: page.first ?? 20 });
    return connection(await this.store.listByUser(userId, first, page.after ?? undefined), 'user');
  }

  /** The gateway lets only admins reach this (@requiresScopes); checked again here. */
  async listFailed(caller: Identity, page: { first?: number | null; after?: string | null }) {
    if (caller.role !== 'ADMIN') throw forbidden('Only admins can list failed notifications.');
    const { first } = parseInput(pageSchema, { first: page.first ?? 20 });
    return connection(await this.store.listFailed(first, page.after ?? undefined), 'failed');
  }

  async resend(caller: Identity, id: string): Promise<NotificationItem> {
    if (caller.role !== 'ADMIN') throw forbidden('Only admins can resend notifications.');
    if (id.length > 300) throw notFound('Notification', id.slice(0, 300));
    const resent = await this.notifier.resend(id);
    if (resent) return resent;
    const current = await this.store.get(id);
    if (!current) throw notFound('Notification', id);
    throw appError(ErrorCode.CONFLICT, `Only a FAILED notification can be resent; this one is ${current.status}.`, { status: current.status });
  }
}

function connection(page: { items: NotificationItem[]; hasNextPage: boolean }, list: 'user' | 'failed') {
  const edges = page.items.map((node) => ({ cursor: NotificationStore.cursorOf(node, list), node }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
