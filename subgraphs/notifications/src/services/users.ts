// The users service, as the notifier sees it: whom to write to (email, name) and the order's
// shipping address, through its internal API (POST /internal/users/contact; see the users
// subgraph's src/http/internal-api.ts), as a service acting on its own.
import { z } from 'zod';
import { serviceCallHeaders } from '@cloudmart/runtime';

const addressSchema = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postalCode: z.string(),
  country: z.string(),
});
export type PostalAddress = z.infer<typeof addressSchema>;

const contactSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  address: addressSchema.nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

export interface UsersPort {
  /** The user's contact details and, if given and theirs, the address; null when there is no such user. */
  contact(userId: string, addressId?: string): Promise<Contact | null>;
}

/** The users service could not answer now (down, timed out, 5xx): the event is tried again later. */
export class UsersUnavailableError extends Error {
  override name = 'UsersUnavailableError';
}

export class HttpUsersClient implements UsersPort {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async contact(userId: string, addressId?: string): Promise<Contact | null> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/internal/users/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...serviceCallHeaders('notifications', this.secret) },
        body: JSON.stringify({ userId, addressId }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new UsersUnavailableError(`users service unreachable: ${String(error)}`, { cause: error });
    }
    if (response.status === 404) return null;
    const text = await response.text();
    if (!response.ok) throw new UsersUnavailableError(`users service answered ${response.status}: ${text.slice(0, 200)}`);
    return contactSchema.parse(JSON.parse(text));
  }
}
