import type { Identity, Logger } from '@cloudmart/runtime';

export interface GatewayContext {
  requestId: string;
  log: Logger;
  /** The verified caller, or null for a guest. */
  identity: Identity | null;
  /** The caller's Authorization header, forwarded to subgraphs once verified. */
  authorization?: string;
}
