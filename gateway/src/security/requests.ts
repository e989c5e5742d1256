import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  GraphQLError,
  getOperationAST,
  parse,
  type DocumentNode,
} from 'graphql';
import type { Logger } from '@cloudmart/runtime';
import { Lru } from '../lru';
import { nestsDeeperThan, Work } from './document-walk';
import {
  checkDocumentSource,
  checkOperationLimits,
  fragmentsOf,
  type OperationLimits,
  type SourceLimits,
} from './limits';
import type { ManifestSet } from './persisted-queries';
import type { PartnerContractGuard } from './partner-contract';
import type { PartnerDirectory } from './partners';
import type { RateLimiter } from '@cloudmart/runtime';

/**
 * What happens to a GraphQL HTTP request before Apollo Server sees it:
 * 1. Partners (`x-api-key`) run operations by id from their own manifest only, within their rate,
 *    and only operations inside the partner contract (./partner-contract).
 * 2. First-party clients may send ids from the first-party manifests (and APQ hashes, which Apollo
 *    Server resolves); with PERSISTED_QUERIES_SAFELIST a free-form body must be in a manifest.
 * 3. The document's size, depth, aliases and root fields are checked, before parsing for size and
 *    before validation for the rest, so a bomb never reaches validation, the planner or a subgraph.
 */
export interface RequestChecksOptions {
  partners: PartnerDirectory;
  /** The partner contract: a partner's operation reaching outside it is refused. */
  partnerContract: PartnerContractGuard;
  rateLimits: RateLimiter;
  firstParty: ManifestSet;
  safelist: boolean;
  limits: OperationLimits;
  sourceLimits: SourceLimits;
  /** Steps the limits walk may take (MAX_OPERATION_WORK). */
  maxWork: number;
  /** Deepest nesting of arrays and objects in a request's JSON (body, variables, extensions). */
  maxJsonNesting: number;
  log: Logger;
  /** Documents whose limit check is remembered (docs/performance.md); 0: every request parses. */
  cacheSize?: number;
}

interface Params {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** A refusal, answered as a GraphQL error response with the status Apollo Router uses. */
export class RequestRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function send(res: Response, refusal: RequestRefusal): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  res
    .status(refusal.status)
    .json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
}

const persistedId = (extensions: unknown): string | undefined => {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
};

/** GET requests carry extensions as a JSON string in the query string. */
const parseExtensions = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
};

export function requestChecks(options: RequestChecksOptions): RequestHandler {
  const { partners, rateLimits, firstParty, safelist, limits, sourceLimits, maxWork } = options;
  // The outcome depends on the document and operation name only: remembered per pair.
  const checked = new Lru<string, { error: GraphQLError | null }>(options.cacheSize ?? 0);

  const checkDocument = (query: string, operationName: unknown) => {
    if (query.length > sourceLimits.maxDocumentBytes) {
      throw refusalOf(checkDocumentSource(query, sourceLimits)!);
    }
    const name = typeof operationName === 'string' ? operationName : undefined;
    const { error } = checked.memo(`${name ?? ''}\n${query}`, () => ({ error: limitsError(query, name) }));
    if (error) throw refusalOf(error);
  };

  const limitsError = (query: string, operationName: string | undefined): GraphQLError | null => {
    const sourceError = checkDocumentSource(query, sourceLimits);
    if (sourceError) return sourceError;
    let document: DocumentNode;
    try {
      document = parse(query, { noLocation: true });
    } catch {
      return null; // Apollo Server answers GRAPHQL_PARSE_FAILED itself.
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) return null;
    try {
      return checkOperationLimits(operation, fragmentsOf(document), limits, new Work(maxWork)) ?? null;
    } catch (error) {
      if (error instanceof GraphQLError) return error; // over the work budget
      throw error;
    }
  };

  /** A body (or a GET request's JSON parameters) nested deeper than the limit. */
  const tooDeep = (raw: object): boolean => {
    if (nestsDeeperThan(raw, options.maxJsonNesting)) return true;
    if (Array.isArray(raw)) return false;
    // GET requests carry variables and extensions as JSON text; JSON.parse itself is iterative.
    return (['variables', 'extensions'] as const).some((name) => {
      const text = (raw as Record<string, unknown>)[name];
      if (typeof text !== 'string') return false;
      try {
        return nestsDeeperThan(JSON.parse(text) as unknown, options.maxJsonNesting - 1);
      } catch {
        return false; // Apollo Server answers malformed JSON itself
      }
    });
  };

  type Partner = NonNullable<ReturnType<PartnerDirectory['find']>>;
  /**
   * Decides the operation text to run; throws a refusal. Returns the text to substitute, if any.
   * `partner` and `wait` are the caller's partner (if its key is valid) and its rate-limit answer.
   */
  const resolve = (req: Request, params: Params, partner: Partner | undefined, wait: number | null): string | undefined => {
    const id = persistedId(params.extensions);
    if (req.headers['x-api-key'] !== undefined) {
      if (!partner) throw new RequestRefusal(401, 'UNAUTHENTICATED', 'The API key is not valid.');
      if (wait !== null) {
        throw new RequestRefusal(429, 'REQUEST_RATE_LIMITED', 'Too many requests for this API key.', {
          'retry-after': String(wait),
        });
      }
      if (params.query !== undefined && params.query !== null) {
        throw new RequestRefusal(
          400,
          'PERSISTED_QUERY_ID_REQUIRED',
          'This endpoint does not allow freeform GraphQL requests from partners; send an operation id from your manifest.',
        );
      }
      if (!id)
        throw new RequestRefusal(
          400,
          'PERSISTED_QUERY_ID_REQUIRED',
          'Send an operation id from your manifest.',
        );
      const body = partner.manifest.get(id);
      if (body === undefined) {
        throw new RequestRefusal(
          404,
          'PERSISTED_QUERY_NOT_IN_LIST',
          `Persisted query '${id}' not found in the persisted query list.`,
        );
      }
      // Checked here, not only at registration: the manifest may have been edited on disk since.
      const outside = options.partnerContract.refusalFor(id, body);
      if (outside) throw refusalOf(outside);
      return body;
    }
    if (typeof params.query === 'string') {
      if (safelist && !firstParty.hasBody(params.query)) {
        throw new RequestRefusal(
          403,
          'QUERY_NOT_IN_SAFELIST',
          'The operation body was not found in the persisted query safelist.',
        );
      }
      return undefined;
    }
    // An id from a first-party manifest; other ids are left to Apollo Server's APQ.
    return id ? firstParty.get(id) : undefined;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const isGet = req.method === 'GET';
    const raw: unknown = isGet ? req.query : req.body;
    if (!raw || typeof raw !== 'object') return next();
    // Before anything else reads it: code that recurses over JSON (JSON.stringify among it)
    // overflows its stack on values nested a few thousand levels deep.
    if (tooDeep(raw)) return send(res, jsonTooDeep(options.maxJsonNesting));
    // Batches are refused by Apollo Server (allowBatchedHttpRequests is off); nothing more to check here.
    if (Array.isArray(raw)) return next();
    const params: Params = { ...(raw as Params), extensions: parseExtensions((raw as Params).extensions) };
    const apiKey = req.headers['x-api-key'];
    const partner = typeof apiKey === 'string' ? partners.find(apiKey) : undefined;
    if (!partner) return handle(req, res, next, raw, params, undefined, null);
    // The partner's bucket may live in Redis (shared by every replica): only partner requests wait for it.
    const wait = rateLimits.take(partner.name);
    if (wait instanceof Promise) {
      wait.then((seconds) => handle(req, res, next, raw, params, partner, seconds), next);
    } else {
      handle(req, res, next, raw, params, partner, wait);
    }
  };

  function handle(
    req: Request,
    res: Response,
    next: NextFunction,
    raw: object,
    params: Params,
    partner: Partner | undefined,
    wait: number | null,
  ): void {
    const isGet = req.method === 'GET';
    try {
      const substitute = resolve(req, params, partner, wait);
      const query = substitute ?? params.query;
      if (typeof query === 'string') checkDocument(query, params.operationName);
      if (substitute !== undefined) {
        const { persistedQuery: _persisted, ...extensions } = (params.extensions ?? {}) as Record<
          string,
          unknown
        >;
        const rewritten = { ...(raw as Record<string, unknown>), query: substitute, extensions };
        if (isGet) {
          // Apollo's express integration reads a GET request's parameters from req.url.
          const search = new URLSearchParams();
          for (const [name, value] of Object.entries({
            ...rewritten,
            extensions: JSON.stringify(extensions),
          })) {
            if (typeof value === 'string') search.set(name, value);
          }
          req.url = `${req.url.split('?')[0]}?${search.toString()}`;
        } else {
          req.body = rewritten;
        }
      }
      next();
    } catch (error) {
      if (error instanceof RequestRefusal) return send(res, error);
      next(error);
    }
  }
}

export const jsonTooDeep = (max: number) =>
  new RequestRefusal(400, 'BAD_REQUEST', `The request's JSON nests more than ${max} levels of arrays and objects.`);

const refusalOf = (error: GraphQLError) =>
  new RequestRefusal(
    (error.extensions.http as { status?: number } | undefined)?.status ?? 400,
    String(error.extensions.code),
    error.message,
  );
