/**
 * Who sent an operation, for usage records. In order: the registered partner holding the request's
 * API key; the `apollographql-client-name` header (what Apollo's clients send; untrusted, so
 * cleaned, shortened and counted); `web` for an operation of the web client's persisted-query
 * manifest; else `unknown`. A name from the header can claim any client name, which can only make
 * a field look more used (a schema check then errs on the safe side), never less.
 */
export interface ClientSources {
  /** The registered partner holding this API key, if any. */
  partnerName(apiKey: string): string | undefined;
  /** True when the web client's manifest holds this operation id (the SHA-256 of its text). */
  isWebOperation(id: string): boolean;
}

export const WEB_CLIENT = 'web';
export const UNKNOWN_CLIENT = 'unknown';
/** Where header-named clients past the bound are counted together. */
export const OTHER_CLIENT = 'other';
/** Longest client name kept from the header, in characters. */
export const MAX_CLIENT_NAME_LENGTH = 64;

export interface ResolvedClient {
  name: string;
  /** The operation came from a manifest (a partner's or the web client's): its id names it. */
  fromManifest: boolean;
}

/** Letters, digits and a few separators; anything else (quotes, newlines, control characters) goes. */
export function cleanClientName(raw: string): string {
  return raw
    .slice(0, MAX_CLIENT_NAME_LENGTH * 4)
    .replace(/[^\w.@/:-]+/g, '')
    .slice(0, MAX_CLIENT_NAME_LENGTH);
}

export class ClientResolver {
  /** Names taken from the header so far, up to `maxHeaderClients`. */
  private readonly named = new Set<string>();

  constructor(
    private readonly sources: ClientSources,
    private readonly maxHeaderClients: number,
  ) {}

  /**
   * Names already recorded (by earlier runs, or other replicas in Redis) count against the bound,
   * so restarts do not let in another FIELD_USAGE_MAX_CLIENTS names each time.
   */
  know(names: Iterable<string>): void {
    for (const name of names) this.named.add(name);
  }

  resolve(headers: { get(name: string): string | undefined }, queryHash: string): ResolvedClient {
    const apiKey = headers.get('x-api-key');
    if (apiKey !== undefined) {
      // Requests reach Apollo Server with a partner key only when the key is valid (security/requests).
      const partner = this.sources.partnerName(apiKey);
      return { name: partner ?? UNKNOWN_CLIENT, fromManifest: partner !== undefined };
    }
    const web = this.sources.isWebOperation(queryHash);
    const header = headers.get('apollographql-client-name');
    if (header !== undefined) {
      const name = cleanClientName(header);
      if (name) return { name: this.bounded(name), fromManifest: web };
    }
    return { name: web ? WEB_CLIENT : UNKNOWN_CLIENT, fromManifest: web };
  }

  private bounded(name: string): string {
    if (this.named.has(name)) return name;
    if (this.named.size >= this.maxHeaderClients) return OTHER_CLIENT;
    this.named.add(name);
    return name;
  }
}
