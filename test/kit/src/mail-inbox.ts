// Reads a MailDev inbox through MailDev 3's REST API (`GET /api/email`, `DELETE /api/email/all`;
// v2's `/email` paths answer 404 in v3), for tests that check what a real SMTP client delivered.
// `apiUrl` is the web server's base, as `startMailDev` returns it (http://127.0.0.1:<port>).

export interface MailAddress {
  address: string;
  name?: string;
}

/** One received message, as MailDev parsed it. */
export interface InboxMessage {
  id: string;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  text?: string;
  html?: string;
  /** Header names in lower case (`message-id`). */
  headers: Record<string, string | string[]>;
  /** The Date header (ISO string, as JSON carries it). */
  date?: string;
  /** When MailDev received it. */
  time: string;
  /** The SMTP envelope: who the client said it sent to, whatever the headers say. */
  envelope?: { from?: MailAddress; to?: MailAddress[] };
}

const apiPath = (apiUrl: string, path: string) => `${apiUrl.replace(/\/+$/, '')}/api/${path}`;

/** Every message in the inbox, oldest first. */
export async function readInbox(apiUrl: string): Promise<InboxMessage[]> {
  const response = await fetch(apiPath(apiUrl, 'email'), { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`MailDev answered ${response.status} to GET /api/email`);
  return (await response.json()) as InboxMessage[];
}

/** Deletes every message. */
export async function clearInbox(apiUrl: string): Promise<void> {
  const response = await fetch(apiPath(apiUrl, 'email/all'), {
    method: 'DELETE',
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`MailDev answered ${response.status} to DELETE /api/email/all`);
  await response.body?.cancel();
}

/** The first message matching `predicate`, polling the inbox until `timeoutMs` has passed. */
export async function waitForMail(
  apiUrl: string,
  predicate: (message: InboxMessage) => boolean,
  timeoutMs = 30_000,
): Promise<InboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readInbox(apiUrl)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail in MailDev's inbox after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A header's value (the first, when repeated), by case-insensitive name. */
export function mailHeader(message: InboxMessage, name: string): string | undefined {
  const key = Object.keys(message.headers).find((header) => header.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : message.headers[key];
  return Array.isArray(value) ? value[0] : value;
}
