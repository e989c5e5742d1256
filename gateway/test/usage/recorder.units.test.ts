// Field usage without a gateway: the coordinates a document uses, who the client is (and how
// header names are bounded), the recorder's bounds, its snapshot shape, its increments for Redis,
// and the plugin computing a document's fields once however often it is sent.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { createLogger } from '@cloudmart/runtime';
import { createServiceMetrics } from '@cloudmart/runtime/observability';
import {
  createFieldUsage,
  fieldUsageSnapshotSchema,
  mergeSnapshots,
  readFieldUsage,
  type FieldUsageConfig,
  type FieldUsageSnapshot,
} from '@cloudmart/gateway/usage';
import type { GatewayContext } from '../../src/context';
import { ClientResolver, cleanClientName, MAX_CLIENT_NAME_LENGTH } from '../../src/usage/clients';
import { fieldsOf } from '../../src/usage/document-fields';
import { FieldUsageRecorder } from '../../src/usage/recorder';

const schema = buildSchema(`
  type Query { product(id: ID!): Product  products(first: Int, filter: ProductFilter): [Product!]! node(id: ID!): Node }
  interface Node { id: ID! }
  type Product implements Node { id: ID!  name: String!  price(currency: String): Float  reviews: [Review!]! }
  type Review implements Node { id: ID!  body: String! }
  input ProductFilter { category: String  inStock: Boolean }
  type Mutation { rename(id: ID!, name: String!): Product }
`);
const operation = (text: string, name?: string) => {
  const document = parse(text);
  const selected = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition' && (name === undefined || definition.name?.value === name),
  )!;
  return { document, selected };
};

describe('fieldsOf', () => {
  it('names fields, arguments and literal input fields, through fragments, without introspection', () => {
    const { document, selected } = operation(`
      query Q($currency: String) {
        __typename
        products(first: 2, filter: { category: "tea" }) { ...P price(currency: $currency) @include(if: true) }
        node(id: "1") { id ... on Review { body } }
      }
      fragment P on Product { name reviews { id } }`);
    expect(fieldsOf(schema, document, selected).sort()).toEqual(
      [
        'Query.products',
        'Query.products(first)',
        'Query.products(filter)',
        'ProductFilter.category',
        'Product.name',
        'Product.reviews',
        'Review.id',
        'Product.price',
        'Product.price(currency)',
        'Query.node',
        'Query.node(id)',
        'Node.id',
        'Review.body',
      ].sort(),
    );
  });

  it('counts only the operation that runs when a document holds several', () => {
    const { document, selected } = operation('query A { product(id: "1") { name } } mutation B { rename(id: "1", name: "x") { id } }', 'B');
    expect(fieldsOf(schema, document, selected).sort()).toEqual(
      ['Mutation.rename', 'Mutation.rename(id)', 'Mutation.rename(name)', 'Product.id'].sort(),
    );
  });
});

describe('ClientResolver', () => {
  const sources = {
    partnerName: (key: string) => (key === 'good-key' ? 'acme' : undefined),
    isWebOperation: (id: string) => id === 'web-id',
  };
  const headers = (values: Record<string, string>) => {
    const map = new HeaderMap();
    for (const [name, value] of Object.entries(values)) map.set(name, value);
    return map;
  };

  it('prefers the partner, then the header, then the web manifest, else unknown', () => {
    const clients = new ClientResolver(sources, 10);
    expect(clients.resolve(headers({ 'x-api-key': 'good-key', 'apollographql-client-name': 'ios' }), 'h')).toEqual({
      name: 'acme',
      fromManifest: true,
    });
    expect(clients.resolve(headers({ 'apollographql-client-name': 'ios' }), 'web-id')).toEqual({ name: 'ios', fromManifest: true });
    expect(clients.resolve(headers({}), 'web-id')).toEqual({ name: 'web', fromManifest: true });
    expect(clients.resolve(headers({}), 'other-hash')).toEqual({ name: 'unknown', fromManifest: false });
  });

  it('cleans and shortens header names, and counts past the bound as "other"', () => {
    expect(cleanClientName('ios-app/2.1 "quoted"\n{evil}')).toBe('ios-app/2.1quotedevil');
    expect(cleanClientName('x'.repeat(10_000))).toHaveLength(MAX_CLIENT_NAME_LENGTH);
    const clients = new ClientResolver(sources, 2);
    const named = (name: string) => clients.resolve(headers({ 'apollographql-client-name': name }), 'h').name;
    expect([named('a'), named('b'), named('c'), named('a'), named('d')]).toEqual(['a', 'b', 'other', 'a', 'other']);
    // Nothing left after cleaning: not a name.
    expect(named('"\n"')).toBe('unknown');
  });

  it('counts the names recorded before a restart against the bound', () => {
    const clients = new ClientResolver(sources, 2);
    clients.know(['old-a', 'old-b']);
    const named = (name: string) => clients.resolve(headers({ 'apollographql-client-name': name }), 'h').name;
    expect([named('old-a'), named('new')]).toEqual(['old-a', 'other']);
  });
});

describe('FieldUsageRecorder', () => {
  const shape = (document: string, fields: string[]) => () => ({ document, fields });

  it('keeps the snapshot shape schema:check reads: operations with documents, fields with counts and lastSeen', () => {
    const recorder = new FieldUsageRecorder({ maxOperations: 10, maxDocumentLength: 1_000 });
    const t1 = Date.parse('2026-12-01T10:00:00Z');
    const t2 = Date.parse('2026-12-02T10:00:00Z');
    recorder.record('web', 'id-1', shape('{ a }', ['Query.a']), t1);
    recorder.record('web', 'id-1', shape('{ a }', ['Query.a']), t2);
    recorder.record('web', 'B@1234', shape('{ a b }', ['Query.a', 'Query.b']), t1);
    recorder.record('acme', 'id-1', shape('{ a }', ['Query.a']), t1);
    const snapshot: FieldUsageSnapshot = recorder.snapshot();
    expect(fieldUsageSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toEqual({
      version: 1,
      clients: {
        web: {
          operations: {
            'id-1': { document: '{ a }', lastSeen: '2026-12-02T10:00:00.000Z', count: 2 },
            'B@1234': { document: '{ a b }', lastSeen: '2026-12-01T10:00:00.000Z', count: 1 },
          },
          fields: {
            'Query.a': { lastSeen: '2026-12-02T10:00:00.000Z', count: 3 },
            'Query.b': { lastSeen: '2026-12-01T10:00:00.000Z', count: 1 },
          },
        },
        acme: {
          operations: { 'id-1': { document: '{ a }', lastSeen: '2026-12-01T10:00:00.000Z', count: 1 } },
          fields: { 'Query.a': { lastSeen: '2026-12-01T10:00:00.000Z', count: 1 } },
        },
      },
    });
  });

  it("asks for a document's shape once per client and operation", () => {
    const recorder = new FieldUsageRecorder({ maxOperations: 10, maxDocumentLength: 1_000 });
    const compute = jest.fn(shape('{ a }', ['Query.a']));
    for (let i = 0; i < 100; i += 1) recorder.record('web', 'id-1', compute);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('past the operations bound, and for documents past the length bound, counts fields without keeping documents', () => {
    const recorder = new FieldUsageRecorder({ maxOperations: 1, maxDocumentLength: 10 });
    recorder.record('c', 'first', shape('{ a }', ['Query.a']));
    recorder.record('c', 'second', shape('{ b }', ['Query.b']));
    recorder.record('c', 'second', shape('{ b }', ['Query.b']));
    recorder.record('d', 'long', shape(`{ ${'x '.repeat(20)}}`, ['Query.x']));
    const { clients } = recorder.snapshot();
    expect(Object.keys(clients.c!.operations)).toEqual(['first']);
    expect(clients.c!.fields).toEqual({
      'Query.a': expect.objectContaining({ count: 1 }),
      'Query.b': expect.objectContaining({ count: 2 }),
    });
    expect(clients.d!.operations).toEqual({});
    expect(clients.d!.fields['Query.x']!.count).toBe(1);
  });

  it('hands out only what Redis has not taken yet', () => {
    const recorder = new FieldUsageRecorder({ maxOperations: 1, maxDocumentLength: 100 });
    recorder.record('c', 'op', shape('{ a }', ['Query.a']), 1);
    recorder.record('c', 'loose', shape('{ b }', ['Query.b']), 2);
    const first = recorder.increments();
    expect(first.clients.get('c')!.operations.get('op')).toEqual({ increment: 1, lastSeen: 1, document: '{ a }' });
    expect(Object.fromEntries(first.clients.get('c')!.fields)).toEqual({
      'Query.a': { increment: 1, lastSeen: 1 },
      'Query.b': { increment: 1, lastSeen: 2 },
    });
    // Not committed (Redis failed): handed out again, with what came since.
    recorder.record('c', 'op', shape('{ a }', ['Query.a']), 3);
    const second = recorder.increments();
    expect(second.clients.get('c')!.operations.get('op')!.increment).toBe(2);
    second.commit();
    expect(recorder.increments().clients.size).toBe(0);
    recorder.record('c', 'op', shape('{ a }', ['Query.a']), 4);
    expect(Object.fromEntries(recorder.increments().clients.get('c')!.fields)).toEqual({ 'Query.a': { increment: 1, lastSeen: 4 } });
  });
});

describe('mergeSnapshots', () => {
  const usage = (lastSeen: string, count: number) => ({ lastSeen, count });
  it('adds counts, keeps the latest lastSeen, and past the bound drops the oldest operations but not their fields', () => {
    const a: FieldUsageSnapshot = {
      version: 1,
      clients: {
        web: {
          operations: { old: { document: '{ a }', ...usage('2026-01-01T00:00:00.000Z', 2) } },
          fields: { 'Query.a': usage('2026-01-01T00:00:00.000Z', 2) },
        },
      },
    };
    const b: FieldUsageSnapshot = {
      version: 1,
      clients: {
        web: {
          operations: { recent: { document: '{ b }', ...usage('2026-02-01T00:00:00.000Z', 1) } },
          fields: { 'Query.a': usage('2026-02-01T00:00:00.000Z', 1), 'Query.b': usage('2026-02-01T00:00:00.000Z', 1) },
        },
      },
    };
    expect(mergeSnapshots([a, b], 1)).toEqual({
      version: 1,
      clients: {
        web: {
          operations: { recent: { document: '{ b }', ...usage('2026-02-01T00:00:00.000Z', 1) } },
          fields: { 'Query.a': usage('2026-02-01T00:00:00.000Z', 3), 'Query.b': usage('2026-02-01T00:00:00.000Z', 1) },
        },
      },
    });
    expect(mergeSnapshots([a, a]).clients.web!.operations.old!.count).toBe(4);
  });
});

describe('the field usage plugin', () => {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'field-usage-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const config = (file?: string): FieldUsageConfig => ({
    DATA_DIR: temp,
    FIELD_USAGE: true,
    FIELD_USAGE_FILE: file,
    FIELD_USAGE_FLUSH_SECONDS: 3_600,
    FIELD_USAGE_MAX_CLIENTS: 5,
    FIELD_USAGE_MAX_OPERATIONS: 100,
    FIELD_USAGE_RETENTION_DAYS: 90,
    MAX_DOCUMENT_BYTES: 20_000,
    OPERATION_CACHE_SIZE: 100,
  });
  /** A server with the plugin; `send` posts a document as a client over HTTP. */
  async function serve(file?: string) {
    const usage = createFieldUsage(
      config(file),
      { partnerName: () => undefined, isWebOperation: () => false },
      createServiceMetrics('usage-test', { defaultMetrics: false }),
      createLogger('test', 'silent'),
    );
    const server = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { hello(name: String): String  other: String }',
      resolvers: { Query: { hello: () => 'hi', other: () => 'o' } },
      plugins: usage.plugins,
    });
    await server.start();
    const send = (query: string, client?: string) => {
      const headers = new HeaderMap([['content-type', 'application/json']]);
      if (client) headers.set('apollographql-client-name', client);
      return server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query } },
        context: async () => ({ requestId: 'r', log: createLogger('test', 'silent'), identity: null }),
      });
    };
    return { usage, server, send };
  }

  it('records HTTP requests once validated, per client, and nothing for internal operations or invalid documents', async () => {
    const { usage, server, send: post } = await serve();
    await post('query Hello { hello(name: "x") }', 'ios');
    await post('query Hello { hello(name: "x") }', 'ios');
    await post('query Hello { hello(name: "x") }');
    await post('{ nope }', 'ios');
    await server.executeOperation({ query: '{ other }' });
    await server.stop();
    const { clients } = usage.snapshot();
    expect(Object.keys(clients).sort()).toEqual(['ios', 'unknown']);
    const operations = Object.entries(clients.ios!.operations);
    expect(operations).toHaveLength(1);
    const [key, hello] = operations[0]!;
    expect(key).toMatch(/^Hello@[0-9a-f]{16}$/); // operation name and document hash
    expect(hello).toEqual(expect.objectContaining({ document: 'query Hello { hello(name: "x") }', count: 2 }));
    expect(clients.ios!.fields).toEqual({
      'Query.hello': expect.objectContaining({ count: 2 }),
      'Query.hello(name)': expect.objectContaining({ count: 2 }),
    });
    expect(clients.unknown!.fields['Query.hello']!.count).toBe(1);
    await usage.close();
  });

  it('keeps what its file held before a restart and adds to it', async () => {
    const file = path.join(temp, 'restart', 'field-usage.json');
    for (let start = 0; start < 2; start += 1) {
      const { usage, server, send } = await serve(file);
      await send('query Hello { hello }', 'ios');
      await server.stop();
      await usage.close(); // writes the file
    }
    const { clients } = await readFieldUsage({ file });
    expect(clients.ios!.fields['Query.hello']!.count).toBe(2);
    expect(Object.values(clients.ios!.operations)).toEqual([expect.objectContaining({ count: 2 })]);
  });
});

describe('the usage file', () => {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'field-usage-file-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const snapshotOf = (count: number): FieldUsageSnapshot => ({
    version: 1,
    clients: { web: { operations: {}, fields: { 'Query.a': { lastSeen: '2026-12-01T00:00:00.000Z', count } } } },
  });

  it("is read with the gateway workers' own files beside it, added up", async () => {
    const file = path.join(temp, 'field-usage.json');
    writeFileSync(file, JSON.stringify(snapshotOf(1)));
    writeFileSync(path.join(temp, 'field-usage.worker-1.json'), JSON.stringify(snapshotOf(10)));
    writeFileSync(path.join(temp, 'field-usage.worker-2.json'), JSON.stringify(snapshotOf(100)));
    expect((await readFieldUsage({ file })).clients.web!.fields['Query.a']!.count).toBe(111);
    expect(await readFieldUsage({ file: path.join(temp, 'missing', 'field-usage.json') })).toEqual({ version: 1, clients: {} });
  });
});
