import type { Identity, Logger } from '@cloudmart/runtime';

export interface GatewayContext {
  requestId: string;
  log: Logger;
  /** The verified caller, or null for a guest. */
  identity: Identity | null;
  /** The caller's Authorization header, forwarded to subgraphs once verified. */
  authorization?: string;
  /**
   * The client's IP address (behind the proxies TRUST_PROXY names, the one they report), sent to
   * subgraphs as `x-client-address` for per-client limits such as failed log-ins.
   */
  clientAddress?: string;
}
