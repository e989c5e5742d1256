// The attack corpus (./attack-shapes.ts) against the shop's gateway, through every way a document
// gets in: HTTP POST, APQ registration and graphql-ws. Each shape must be refused with a coded 4xx
// or answered correctly, and `{ __typename }` must answer right after it. Nothing here is timed:
// each walk the gateway makes over a document counts its steps, and those counts are checked
// against the document's length.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { GraphQLError, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { postGraphQL, startTestSupergraph, type TestSupergraph } from '@cloudmart/test-kit';
import { AuthorizationPolicy } from '../../src/security/authorization';
import { CostEstimator } from '../../src/security/demand-control';
import { readSupergraphDirectives } from '../../src/security/directives';
import { fragmentsOf, Work, WORK_LIMIT_CODE } from '../../src/security/document-walk';
import { checkDocumentSource, measureOperation } from '../../src/security/limits';
import { supergraphForGateway } from '../../src/security';
import { start as startGateway } from '../../src/server';
import {
  attackShapes,
  shopSubscriptionVocabulary,
  shopVocabulary,
  subscriptionAttackShapes,
  type AttackShape,
} from './attack-shapes';

const shapes = attackShapes(shopVocabulary);
const subscriptionShapes = subscriptionAttackShapes(shopSubscriptionVocabulary);

/** Steps a walk may take per character of the document: each walk visits a selection a few times at most. */
const STEPS_PER_CHARACTER = 2;

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

async function send(url: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Omit<Answer, 'status'>;
  try {
    parsed = JSON.parse(text) as Omit<Answer, 'status'>;
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, ...parsed };
}

const codesOf = (answer: { errors?: Answer['errors'] }) => (answer.errors ?? []).map((error) => error.extensions?.code);

/** Checks an answer against the shape's expected outcome; the equivalent query's data when needed. */
async function expectOutcome(graph: TestSupergraph, shape: AttackShape, answer: Answer): Promise<void> {
  const { outcome } = shape;
  const context = `${shape.name}: HTTP ${answer.status} ${JSON.stringify(answer.errors?.slice(0, 2))}`;
  switch (outcome.kind) {
    case 'refused':
      expect({ context, clientError: answer.status >= 400 && answer.status < 500 }).toEqual({ context, clientError: true });
      expect({ context, codes: codesOf(answer).length > 0 }).toEqual({ context, codes: true });
      for (const code of codesOf(answer)) expect({ context, code, expected: outcome.codes.includes(code as string) }).toEqual({ context, code, expected: true });
      expect(answer.data ?? null).toBeNull();
      break;
    case 'answer': {
      const equivalent = await postGraphQL(graph.gatewayUrl, outcome.equivalent);
      expect({ context, status: answer.status, errors: answer.errors }).toEqual({ context, status: 200, errors: undefined });
      expect(answer.data).toEqual(equivalent.data);
      break;
    }
    case 'answer-or-refused':
      expect({ context, below500: answer.status < 500 }).toEqual({ context, below500: true });
      for (const code of codesOf(answer)) expect({ context, code, expected: outcome.codes.includes(code as string) }).toEqual({ context, code, expected: true });
      break;
  }
}

async function expectTypenameAnswers(graph: TestSupergraph): Promise<void> {
  const response = await postGraphQL(graph.gatewayUrl, '{ __typename }');
  expect(response).toEqual({ status: 200, data: { __typename: 'Query' } });
}

describe('every walk over a document is linear in its size', () => {
  const sdl = supergraphForGateway(readFileSync(path.join(__dirname, '..', '..', 'supergraph.graphql'), 'utf8'));
  const schema: GraphQLSchema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  const directives = readSupergraphDirectives(sdl);
  const policy = new AuthorizationPolicy(directives);
  const costs = new CostEstimator(directives, { maxCost: 5_000, defaultListSize: 10 });
  const guest = null;
  const customer = { userId: 'u-1', role: 'CUSTOMER' as const };

  /** Runs every walk over every operation of the document; returns the most steps one walk took. */
  const mostSteps = (query: string): number => {
    const document = parse(query, { noLocation: true });
    const fragments = fragmentsOf(document);
    let most = 0;
    const walk = (run: (work: Work) => unknown) => {
      const work = new Work(Number.POSITIVE_INFINITY);
      run(work);
      most = Math.max(most, work.steps);
    };
    for (const operation of document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    )) {
      walk((work) => measureOperation(operation, fragments, work));
      walk((work) => costs.estimate(schema, operation, fragments, {}, work));
      for (const identity of [guest, customer]) walk((work) => policy.authorize(schema, document, operation, identity, work));
    }
    return most;
  };

  it.each([...shapes, ...subscriptionShapes].filter((shape) => shape.query).map((shape) => [shape.name, shape] as const))(
    '%s',
    (_name, shape) => {
      const query = shape.query!;
      // Documents the source check refuses (too deep) are never parsed; nor are those that do not parse.
      if (checkDocumentSource(query, { maxDocumentBytes: 20_000, maxNesting: 64 })) return;
      let steps: number;
      try {
        steps = mostSteps(query);
      } catch (error) {
        if (error instanceof GraphQLError && error.message.startsWith('Syntax Error')) return;
        throw error;
      }
      expect(steps).toBeLessThanOrEqual(STEPS_PER_CHARACTER * query.length);
    },
  );

  it("measures the issue's 8 KB fan-out (200 levels, 2^200 fields) in steps proportional to its length", () => {
    const levels = 200;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
    expect(query.length).toBeGreaterThan(8_000);
    const document = parse(query);
    const work = new Work(Number.POSITIVE_INFINITY);
    const measures = measureOperation(document.definitions[0] as OperationDefinitionNode, fragmentsOf(document), work);
    expect(measures.rootFields).toBe(Number.MAX_SAFE_INTEGER); // 2^200, saturated
    expect(measures.recursiveSelections).toBe(Number.MAX_SAFE_INTEGER);
    // One step per selection written: 2 spreads per level, the leaf, the operation's spread.
    expect(work.steps).toBe(levels * 2 + 2);
    expect(work.steps).toBeLessThan(query.length / 10);
  });

  it('counts a fan-out into an admin-only field as numbers, and reports the removal once per path', () => {
    const levels = 300;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ product(id: "p-1") { ...F0 } } ${fragments.join(' ')} fragment F${levels} on Product { id sentiment { reviewCount } }`;
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const work = new Work(Number.POSITIVE_INFINITY);
    const authorized = policy.authorize(schema, document, operation, customer, work);
    expect(authorized.errors).toEqual([
      expect.objectContaining({ path: ['product', 'sentiment'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }),
    ]);
    // The spreads are kept (not inlined): the reduced document is no larger than the original.
    expect(authorized.document.definitions).toHaveLength(levels + 2);
    expect(work.steps).toBeLessThanOrEqual(STEPS_PER_CHARACTER * query.length);
    const costWork = new Work(Number.POSITIVE_INFINITY);
    expect(costs.estimate(schema, operation, fragmentsOf(document), {}, costWork)).toBe(Number.MAX_SAFE_INTEGER);
    expect(costWork.steps).toBeLessThanOrEqual(STEPS_PER_CHARACTER * query.length);
  });

  it('refuses with MAX_OPERATION_WORK_LIMIT when a walk goes over its budget', () => {
    const document = parse(`{ categories { id name productCount } }`);
    expect(() =>
      measureOperation(document.definitions[0] as OperationDefinitionNode, fragmentsOf(document), new Work(2)),
    ).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: WORK_LIMIT_CODE }) }));
  });
});

describe('the attack corpus through the gateway', () => {
  let graph: TestSupergraph;
  beforeAll(async () => {
    graph = await startTestSupergraph({ subgraphs: 'shared' });
  });
  afterAll(() => graph?.stop());

  it.each(shapes.map((shape) => [shape.name, shape] as const))('over HTTP: %s', async (_name, shape) => {
    await expectOutcome(graph, shape, await send(graph.gatewayUrl, shape.body));
    await expectTypenameAnswers(graph);
  });

  it.each(
    shapes
      .filter((shape) => typeof shape.body === 'object' && !Array.isArray(shape.body) && shape.query)
      .map((shape) => [shape.name, shape] as const),
  )('registered as an APQ: %s', async (_name, shape) => {
    // A variant of the text (a trailing comment) so Apollo Server's APQ cache has not seen it.
    const query = `${shape.query!.slice(0, 19_980)}\n#apq`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const body = { ...(shape.body as Record<string, unknown>), query, extensions };
    const answer = await send(graph.gatewayUrl, body);
    if (shape.query!.length > 19_980) {
      // Cut short, the document no longer parses or validates: still a coded 4xx.
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(codesOf(answer).length).toBeGreaterThan(0);
    } else {
      await expectOutcome(graph, shape, answer);
    }
    if (answer.status >= 400) {
      // A refused registration is not stored: the hash alone is unknown.
      const byHash = await send(graph.gatewayUrl, { extensions });
      expect(codesOf(byHash)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    }
    await expectTypenameAnswers(graph);
  });

  describe('over graphql-ws', () => {
    let client: Client;
    let token: string;
    beforeAll(async () => {
      const signUp = await postGraphQL<{ signUp: { token: string } }>(
        graph.gatewayUrl,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        { input: { email: `attacker-${Date.now()}@example.com`, name: 'Attacker', password: 'correct-horse-battery' } },
      );
      token = signUp.data!.signUp.token;
      client = createClient({
        url: graph.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
    });
    afterAll(() => client?.dispose());

    /** The errors the gateway answers a subscribe message with (it must answer with errors). */
    const subscribe = (query: string, variables?: Record<string, unknown>) =>
      new Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>((resolve, reject) => {
        const dispose = client.subscribe(
          { query, variables },
          {
            next: (value) => {
              dispose();
              reject(new Error(`answered with data: ${JSON.stringify(value).slice(0, 200)}`));
            },
            error: (error) => (Array.isArray(error) ? resolve(error) : reject(error as Error)),
            complete: () => reject(new Error('completed without an error')),
          },
        );
      });

    it.each(subscriptionShapes.map((shape) => [shape.name, shape] as const))('%s', async (_name, shape) => {
      const errors = await subscribe(shape.query!);
      const expected = (shape.outcome as { codes: string[] }).codes;
      expect(errors.map((error) => error.extensions?.code)).toEqual([expect.any(String)]);
      expect(expected).toContain(errors[0]!.extensions!.code);
      await expectTypenameAnswers(graph);
    });

    it.each(shapes.filter((shape) => shape.query).map((shape) => [shape.name, shape] as const))(
      'the HTTP shape %s, sent as a subscription, gets coded errors',
      async (_name, shape) => {
        const body = shape.body as { variables?: Record<string, unknown> };
        const errors = await subscribe(shape.query!, typeof body === 'object' ? body.variables : undefined);
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) expect(error.extensions?.code).toEqual(expect.any(String));
        expect(errors.map((error) => error.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
      },
    );

    it('refuses variables nested deeper than MAX_JSON_NESTING, and the connection still serves', async () => {
      // graphql-ws's client cannot send this (JSON.stringify recurses): the protocol by hand.
      const socket = new WebSocket(graph.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const messages: { type: string; id?: string; payload?: unknown }[] = [];
      const waitFor = (type: string, id?: string) =>
        new Promise<{ payload?: unknown }>((resolve, reject) => {
          const check = () => {
            const found = messages.find((message) => message.type === type && message.id === id);
            if (found) return resolve(found);
            if (socket.readyState === WebSocket.CLOSED) return reject(new Error(`closed before ${type}`));
            setTimeout(check, 10);
          };
          check();
        });
      socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await waitFor('connection_ack');
      const depth = 10_000;
      const query = JSON.stringify('subscription($v: Boolean!) { myOrderUpdates @include(if: $v) { id } }');
      socket.send(`{"type":"subscribe","id":"deep","payload":{"query":${query},"variables":{"v":${'['.repeat(depth)}true${']'.repeat(depth)}}}}`);
      const deep = (await waitFor('error', 'deep')).payload as { extensions?: { code?: string } }[];
      expect(deep.map((error) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
      // The same connection still answers the next subscribe message.
      socket.send(JSON.stringify({ type: 'subscribe', id: 'next', payload: { query: 'subscription { noSuchField }' } }));
      const next = (await waitFor('error', 'next')).payload as { extensions?: { code?: string } }[];
      expect(next.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      socket.close();
    });
  });

  it('refuses with MAX_OPERATION_WORK_LIMIT through HTTP when the budget is set below a document', async () => {
    const gateway = await startGateway({ ...graph.env, PORT: '0', MAX_OPERATION_WORK: '5' });
    try {
      const answer = await send(gateway.url, { query: '{ categories { id name productCount } categories2: categories { id name } }' });
      expect(answer.status).toBe(400);
      expect(codesOf(answer)).toEqual([WORK_LIMIT_CODE]);
      const small = await send(gateway.url, { query: '{ __typename }' });
      expect(small).toEqual({ status: 200, data: { __typename: 'Query' } });
    } finally {
      await gateway.stop();
    }
  });
});
