import http from 'node:http';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { listenOnLoopback } from '../loopback';

export interface ServedSubgraph {
  url: string;
  /** GraphQL requests answered since start. */
  calls(): number;
  close(): Promise<void>;
}

interface GraphQLRequestBody {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/**
 * A minimal GraphQL-over-HTTP server for one subgraph schema: POST /graphql with JSON, parsed and
 * validated documents cached by their text. Deliberately lean (no framework), so that the
 * subgraphs cost as little as possible of the core they share with the load generator and the
 * gateway under test stays the bottleneck.
 */
export async function serveSubgraph(schema: GraphQLSchema, port = 0): Promise<ServedSubgraph> {
  const documents = new Map<string, DocumentNode>();
  let calls = 0;
  const documentFor = (query: string): DocumentNode | readonly Error[] => {
    const cached = documents.get(query);
    if (cached) return cached;
    const document = parse(query);
    const errors = validate(schema, document);
    if (errors.length) return errors;
    documents.set(query, document);
    return document;
  };
  const reply = (response: http.ServerResponse, status: number, payload: unknown) => {
    const body = JSON.stringify(payload);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  };
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST') return reply(response, 405, { errors: [{ message: 'POST only' }] });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls += 1;
      let body: GraphQLRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLRequestBody;
      } catch {
        return reply(response, 400, { errors: [{ message: 'invalid JSON' }] });
      }
      if (typeof body.query !== 'string') return reply(response, 400, { errors: [{ message: 'no query' }] });
      let document: DocumentNode | readonly Error[];
      try {
        document = documentFor(body.query);
      } catch (error) {
        return reply(response, 400, { errors: [{ message: (error as Error).message }] });
      }
      if (Array.isArray(document)) {
        return reply(response, 400, { errors: document.map((error: Error) => ({ message: error.message })) });
      }
      Promise.resolve(
        execute({
          schema,
          document: document as DocumentNode,
          variableValues: body.variables,
          operationName: body.operationName,
          contextValue: {},
        }),
      ).then(
        (result) => reply(response, 200, result),
        (error: unknown) => reply(response, 500, { errors: [{ message: String(error) }] }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  const listener = await listenOnLoopback(server, port);
  return {
    url: `http://127.0.0.1:${listener.port}/graphql`,
    calls: () => calls,
    close: listener.close,
  };
}
