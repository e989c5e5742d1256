import { STATUS_CODES } from 'node:http';
import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Kind, OperationTypeNode, parse } from 'graphql';
import { Pool } from 'undici';

/**
 * The HTTP call from the gateway to a subgraph (issue 11, docs/performance.md): the `fetcher` of
 * every SubgraphDataSource (RemoteGraphQLDataSource calls it with the JSON request body and the
 * headers willSendRequest set).
 * - keep-alive connection pools: one undici Pool per subgraph origin, requests sent with
 *   `pool.request` (no WHATWG Request/Response/stream objects per fetch, as Node's global fetch
 *   builds); off: Node's global fetch, as before;
 * - in-flight deduplication: identical subgraph requests (same URL, same body — document and
 *   variables —, same identity and other answer-changing headers) that are in flight at the same
 *   time are sent once; every waiter gets the response text and parses its own copy. Never for
 *   mutations. The deadline (SUBGRAPH_TIMEOUT_MS) runs from the first caller's send, and an error
 *   (timeout, connection, HTTP status) reaches every waiter.
 */
export interface SubgraphFetchSettings {
  /** Deadline of one subgraph call, in milliseconds. */
  timeoutMs: number;
  /** Deduplicate identical in-flight queries. */
  dedup: boolean;
  /** Keep-alive undici pools; false: Node's global fetch. */
  pool: boolean;
  /** Most connections a pool opens to one subgraph origin. */
  poolConnections: number;
  /** Data sources send through leanSendRequest (no node-fetch Request per call). */
  leanRequests?: boolean;
}

/** A subgraph's answer, before parsing: immutable, so waiters can share it. */
export interface SubgraphReply {
  status: number;
  statusText: string;
  /** Lower-case header names. */
  headers: ReadonlyMap<string, string>;
  text: string;
}

/**
 * Headers that differ per client request without changing a subgraph's answer: tracing and the
 * request id. Every other header sent (the authorization header — one value per identity, since
 * internal tokens are issued per identity — and anything forwarded later) is part of the
 * deduplication key, so two callers only ever share an answer they would both have received.
 */
const headersOutsideTheKey = new Set([
  'traceparent',
  'tracestate',
  'baggage',
  'x-request-id',
  // Only log-in (a mutation, never deduplicated) reads it.
  'x-client-address',
  'content-length',
]);

/** The part of the dedup key the headers contribute (names and values, in name order). */
export function identityKeyOf(headers: Record<string, string>): string {
  let key = '';
  for (const name of Object.keys(headers).sort()) {
    const lower = name.toLowerCase();
    if (headersOutsideTheKey.has(lower)) continue;
    key += `${lower}:${headers[name]}\n`;
  }
  return key;
}

/** Whether a subgraph operation is a mutation. A document that does not parse counts as one. */
export function isMutation(query: string): boolean {
  try {
    // A document with several operations counts as a mutation if any of them is one.
    const operations = parse(query, { noLocation: true }).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    return (
      operations.length === 0 ||
      operations.some((operation) => operation.operation === OperationTypeNode.MUTATION)
    );
  } catch {
    return true;
  }
}

/**
 * The GraphQL document in a request body as RemoteGraphQLDataSource writes it:
 * `JSON.stringify({ query, variables, operationName, … })`, query first: the query's JSON string
 * literal, still escaped (a body can carry large entity representations, which are not read).
 * Anything else gives undefined.
 */
export function queryLiteralOfBody(body: string): string | undefined {
  const prefix = '{"query":';
  if (!body.startsWith(prefix) || body.charCodeAt(prefix.length) !== 0x22) return undefined;
  for (let at = prefix.length + 1; ; at += 1) {
    at = body.indexOf('"', at);
    if (at < 0) return undefined;
    let backslashes = 0;
    while (body.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return body.slice(prefix.length, at + 1);
  }
}

/** The query of a request body (see queryLiteralOfBody), unescaped. */
export function queryOfBody(body: string): string | undefined {
  const literal = queryLiteralOfBody(body);
  if (literal === undefined) return undefined;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

const MAX_KNOWN_OPERATIONS = 1_000;
const deduplicableByLiteral = new Map<string, boolean>();

/**
 * Whether a request body may share an identical one in flight: a query or subscription, never a
 * mutation. The planner sends a bounded set of documents, so the answer is remembered per document
 * (bounded; the oldest entry is dropped first).
 */
function deduplicable(body: string): boolean {
  const literal = queryLiteralOfBody(body);
  if (literal === undefined) return false;
  const known = deduplicableByLiteral.get(literal);
  if (known !== undefined) return known;
  const query = queryOfBody(body);
  const answer = query !== undefined && !isMutation(query);
  if (deduplicableByLiteral.size >= MAX_KNOWN_OPERATIONS) {
    deduplicableByLiteral.delete(deduplicableByLiteral.keys().next().value!);
  }
  deduplicableByLiteral.set(literal, answer);
  return answer;
}

/** A subgraph call that missed its deadline. */
export class SubgraphTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(url: string, timeoutMs: number) {
    super(`The subgraph at ${url} did not answer within ${timeoutMs} ms.`);
  }
}

/** Subgraph HTTP calls for every data source of one gateway: the pools and the in-flight table. */
export class SubgraphFetcher {
  private readonly pools = new Map<string, Pool>();
  private readonly inFlight = new Map<string, Promise<SubgraphReply>>();
  private closed = false;
  /** Calls actually sent, and calls answered by joining one in flight (for tests and docs). */
  readonly stats = { sent: 0, deduplicated: 0 };

  private readonly targets = new Map<string, { origin: string; path: string }>();

  constructor(readonly settings: SubgraphFetchSettings) {}

  /** The Fetcher for RemoteGraphQLDataSource: each caller gets its own response object to parse. */
  readonly fetcher: Fetcher = async (url: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
    const body = typeof init?.body === 'string' ? init.body : (init?.body?.toString('utf8') ?? '');
    if (init?.method && init.method !== 'POST')
      throw new Error(`Subgraph requests are POSTed, not ${init.method}ed.`);
    const reply = await this.send(
      url,
      body,
      init?.headers ?? {},
      this.settings.dedup ? !deduplicable(body) : true,
    );
    return new ReplyResponse(url, reply);
  };

  /**
   * POSTs `body` (a JSON GraphQL request) to `url`. `mutation` requests always go on their own;
   * others may share an identical request already in flight.
   */
  send(
    url: string,
    body: string,
    headers: Record<string, string>,
    mutation: boolean,
  ): Promise<SubgraphReply> {
    if (!this.settings.dedup || mutation) return this.post(url, body, headers);
    const key = `${url}\n${identityKeyOf(headers)}\n${body}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.deduplicated += 1;
      return pending;
    }
    const sent = this.post(url, body, headers);
    this.inFlight.set(key, sent);
    const forget = () => {
      this.inFlight.delete(key);
    };
    sent.then(forget, forget);
    return sent;
  }

  /** Closes the pools (their idle keep-alive sockets). */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Deadlines set per subgraph URL (SUBGRAPH_<NAME>_TIMEOUT_MS); others get settings.timeoutMs. */
  private readonly timeouts = new Map<string, number>();

  /** The deadline of every call to `url`. */
  setTimeoutFor(url: string, timeoutMs: number): void {
    this.timeouts.set(url, timeoutMs);
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<SubgraphReply> {
    this.stats.sent += 1;
    const timeoutMs = this.timeouts.get(url) ?? this.settings.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new SubgraphTimeoutError(url, timeoutMs)), timeoutMs);
    try {
      return this.settings.pool
        ? await this.viaPool(url, body, headers, controller.signal)
        : await this.viaFetch(url, body, headers, controller.signal);
    } catch (error) {
      // Both clients reject with the abort reason or an AbortError; report the deadline plainly.
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async viaPool(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<SubgraphReply> {
    const target = this.targetOf(url);
    const response = await this.poolFor(target.origin).request({
      method: 'POST',
      path: target.path,
      headers,
      body,
      signal,
    });
    const text = await response.body.text();
    const replyHeaders = new Map<string, string>();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return {
      status: response.statusCode,
      statusText: STATUS_CODES[response.statusCode] ?? '',
      headers: replyHeaders,
      text,
    };
  }

  private async viaFetch(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<SubgraphReply> {
    const response = await fetch(url, { method: 'POST', headers, body, signal });
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      headers: new Map(response.headers),
      text,
    };
  }

  private targetOf(url: string): { origin: string; path: string } {
    let target = this.targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      this.targets.set(url, target);
    }
    return target;
  }

  private poolFor(origin: string): Pool {
    if (this.closed) throw new Error('The subgraph connection pools are closed.');
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: this.settings.poolConnections, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/** Response headers of one caller's copy of a reply (case-insensitive, as Fetch's Headers). */
class ReplyHeaders implements FetcherHeaders {
  private readonly map: Map<string, string>;
  constructor(shared: ReadonlyMap<string, string>) {
    this.map = new Map(shared);
  }
  append(name: string, value: string) {
    const key = name.toLowerCase();
    const existing = this.map.get(key);
    this.map.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }
  delete(name: string) {
    this.map.delete(name.toLowerCase());
  }
  get(name: string) {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string) {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string) {
    this.map.set(name.toLowerCase(), value);
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}

/**
 * One caller's response over a (possibly shared) reply: json() parses a copy of its own. A class,
 * not an object of closures: one is made per subgraph call per waiter.
 */
class ReplyResponse implements FetcherResponse {
  readonly redirected = false;
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: ReplyHeaders;
  private used = false;

  constructor(
    readonly url: string,
    private readonly reply: SubgraphReply,
  ) {
    this.status = reply.status;
    this.ok = reply.status >= 200 && reply.status < 300;
    this.statusText = reply.statusText;
    this.headers = new ReplyHeaders(reply.headers);
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return this.take();
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.take()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.take(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new ReplyResponse(this.url, this.reply);
  }

  private take(): string {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.reply.text;
  }
}

// ---------------------------------------------------------------------------------------------
// A leaner RemoteGraphQLDataSource.sendRequest.

type SubgraphRequest = GraphQLDataSourceProcessOptions['request'];
type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type FetchRequestForHooks = Parameters<RemoteGraphQLDataSource['didEncounterError']>[1];

/**
 * What RemoteGraphQLDataSource's (private) sendRequest does, minus the node-fetch Request it
 * builds on every call only to hand to the error hooks: that constructor parses the URL twice
 * (WHATWG and legacy url.parse) and copies the body into a Buffer, about 6 % of the gateway's CPU
 * under the bench load. Here the Request is built only when there is an error to report. The
 * fetcher, errorFromResponse, parseBody and didEncounterError hooks are called exactly as the
 * original calls them, so status handling and error shapes are unchanged.
 */
async function leanSendRequest(
  this: RemoteGraphQLDataSource,
  request: SubgraphRequest,
  context: Record<string, unknown>,
): Promise<SubgraphResponse> {
  if (!request.http) throw new Error("Internal error: Only 'http' requests are supported.");
  const { http, ...requestWithoutHttp } = request;
  const requestInit = {
    method: http.method,
    headers: Object.fromEntries(http.headers),
    body: JSON.stringify(requestWithoutHttp),
  };
  let fetchResponse: FetcherResponse | undefined;
  try {
    fetchResponse = await this.fetcher(http.url, requestInit);
    if (!fetchResponse.ok) throw await this.errorFromResponse(fetchResponse);
    const body = await this.parseBody(fetchResponse, undefined, context);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    }
    return { ...body, http: fetchResponse };
  } catch (error) {
    const fetchRequest = new Request(http.url, requestInit) as unknown as FetchRequestForHooks;
    this.didEncounterError(error as Error, fetchRequest, fetchResponse, context, request);
    throw error;
  }
}

/**
 * Gives one data source the lean sendRequest (an own property shadowing the private prototype
 * method process() calls). If a future @apollo/gateway renames that method, nothing breaks: the
 * stock one keeps being used, and this returns false.
 */
export function useLeanSendRequest(dataSource: RemoteGraphQLDataSource): boolean {
  if (
    !('sendRequest' in dataSource) ||
    typeof (dataSource as unknown as { sendRequest?: unknown }).sendRequest !== 'function'
  ) {
    return false;
  }
  Object.defineProperty(dataSource, 'sendRequest', {
    value: leanSendRequest,
    configurable: true,
    writable: true,
  });
  return true;
}
