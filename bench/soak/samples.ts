// What the soak's load process (./load.ts) and its orchestrator (./run.ts) exchange.

/** What ./run.ts tells the load process to do (as JSON in SOAK_LOAD_PLAN). */
export interface LoadPlan {
  seed: string;
  gatewayUrls: string[];
  durationMs: number;
  /** Requests started per second on average (Poisson arrivals), whatever the answers' speed. */
  ratePerSecond: number;
  shoppers: number;
  products: number;
  stockPerProduct: number;
  shopperPassword: string;
  adminEmail: string;
  adminPassword: string;
  partner: { key: string; operations: { id: string; name: string }[] };
  requestTimeoutMs: number;
  /** After `finish`, how long subscribers stay open before the report. */
  finalWaitMs: number;
  /** JSON lines of Sample. */
  samplesFile: string;
}

/** One request of the run. */
export interface Sample {
  /** When it was sent (epoch ms). */
  t: number;
  op: string;
  ms: number;
  /** The HTTP status, or how the request failed without one. */
  status: number | 'transport' | 'timeout';
  /** Each error's extensions.code ('(none)' when it has none). */
  codes: string[];
  dataNull: boolean;
  /** Every error is SUBGRAPH_UNAVAILABLE below a root field: the rest of the data should be there. */
  unavailableOnlyBelowRoot: boolean;
  /** Which gateway replica answered. */
  gateway: number;
}

export interface SeenStatus {
  status: string;
  /** From the subscription, or from the snapshot read after a reconnect. */
  via: 'event' | 'snapshot';
  t: number;
}

export interface LoadReport {
  offered: number;
  sent: number;
  shed: number;
  subscriptionErrors: number;
  shoppers: {
    id: string;
    orders: string[];
    seen: Record<string, SeenStatus[]>;
    connections: number;
    /** Each (re)connection: when, to which replica. */
    connected: { t: number; gateway: number }[];
  }[];
}
