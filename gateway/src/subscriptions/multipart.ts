// Subscriptions over multipart HTTP, Apollo's protocol (what Apollo Client uses over HTTP): a POST
// to /graphql with `Accept: multipart/mixed;subscriptionSpec="1.0"` gets a long response whose parts
// are `{"payload": <result>}`, with an empty `{}` part as a heartbeat every few seconds.
// https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol
import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { identityFromAuthorization, requestIdOf, type JwtKeys, type Logger } from '@cloudmart/runtime';
import { Lru } from '../lru';
import { sha256Hex } from '../security/persisted-queries';
import { headersOf, type RecordOperation } from '../usage';
import type { SubscriptionEngine } from './engine';

const BOUNDARY = 'graphql';
const CONTENT_TYPE = `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`;
const HEARTBEAT_MS = 5_000;

/** Does the Accept header ask for multipart subscriptions? */
export const acceptsMultipartSubscription = (accept: string | undefined) =>
  !!accept && /multipart\/mixed/i.test(accept) && /subscriptionSpec\s*=\s*"?1\.0"?/i.test(accept);

// Every part is followed at once by the next delimiter: a client knows a part is complete only
// when it sees one, so a part must not wait for the next event (or heartbeat) to be read.
const OPENING = `\r\n--${BOUNDARY}`;
const part = (body: unknown) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body)}\r\n--${BOUNDARY}`;
const CLOSING = '--\r\n'; // after the last delimiter: `--graphql--`

export interface MultipartOptions {
  engine: SubscriptionEngine;
  schema: () => GraphQLSchema;
  keys: JwtKeys;
  log: Logger;
  /** Field usage: each validated subscription, under the client its headers name. */
  recordUsage: RecordOperation;
  /** Documents whose operation type is remembered, so other operations pass without a parse; 0: off. */
  cacheSize?: number;
}

/**
 * Express middleware in front of Apollo Server on /graphql: serves subscription operations and
 * passes everything else on. A subscription sent without the multipart Accept header is refused
 * with a message saying how to subscribe.
 */
export function multipartSubscriptions({ engine, schema, keys, log, recordUsage, cacheSize = 0 }: MultipartOptions) {
  const notSubscriptions = new Lru<string, true>(cacheSize);
  return async (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
    if (req.method !== 'POST' || typeof body?.query !== 'string') return next();
    const known = `${typeof body.operationName === 'string' ? body.operationName : ''}\n${body.query}`;
    if (notSubscriptions.get(known)) return next();
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch {
      return next(); // Apollo Server reports the syntax error as usual
    }
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (operation?.operation !== 'subscription') {
      notSubscriptions.set(known, true);
      return next();
    }

    const fail = (status: number, code: string, message: string) =>
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    if (!acceptsMultipartSubscription(req.headers.accept)) {
      return fail(
        406,
        'BAD_REQUEST',
        'Subscriptions are served over graphql-ws (ws://…/graphql) or multipart HTTP (Accept: multipart/mixed;subscriptionSpec="1.0").',
      );
    }
    const currentSchema = schema();
    const validationErrors = validate(currentSchema, document);
    if (validationErrors.length > 0) {
      return res.status(400).json({ errors: validationErrors.map((error) => error.toJSON()) });
    }
    recordUsage({
      headers: headersOf(req.headers),
      queryHash: sha256Hex(body.query),
      query: body.query,
      document,
      operation,
      schema: currentSchema,
    });
    const authorization = req.headers.authorization;
    let identity;
    try {
      identity = await identityFromAuthorization(keys, authorization);
    } catch (error) {
      return res.status(401).json({ errors: [(error as GraphQLError).toJSON()] });
    }
    const requestId = requestIdOf(req);
    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};

    let closed = false;
    const result = await engine.subscribe({
      document,
      operationName,
      variables,
      context: { identity, authorization, requestId, log: log.child({ requestId, transport: 'multipart' }) },
      onOverflow: () => {
        // The queue ends with an error part; if the client is not reading at all, cut it off.
        setTimeout(() => res.destroy(), 1_000).unref();
      },
    });

    res.status(200).set({ 'content-type': CONTENT_TYPE, 'cache-control': 'no-cache', 'x-request-id': requestId });
    res.flushHeaders();
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (!res.writableEnded && !res.destroyed) res.end(CLOSING);
    };
    const heartbeat = setInterval(() => res.write(part({})), HEARTBEAT_MS);
    res.write(OPENING);
    res.write(part({}));
    if (!(Symbol.asyncIterator in result)) {
      res.write(part({ payload: refusal(result) }));
      return finish();
    }
    const stream = result;
    res.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      void stream.return?.();
    });
    try {
      for await (const value of stream) {
        if (closed) break;
        // Wait for the socket to drain: a client that does not read fills its bounded queue instead.
        if (!res.write(part({ payload: value }))) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
    } finally {
      finish();
    }
  };
}

const refusal = (result: ExecutionResult) => ({ data: null, errors: (result.errors ?? []).map((error) => error.toJSON()) });
