// npm run schema:check against modified copies of the subgraph schemas in a temp dir (never the real
// files): which changes block (the web manifest's operations, a partner's recently recorded fields),
// which ship with their evidence, and the diff library's classification of nullability and
// argument changes.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSchema } from 'graphql';
import { printSortedSchema } from '@cloudmart/gateway/api-schema';
import { repoRoot } from '@cloudmart/runtime';
import { makeTempDir } from '@cloudmart/test-kit';
import { writeWebManifest } from '../../build';
import { checkSchema } from '../check';
import { publish } from '../published';
import type { RegisteredOperation } from '../registered-operations';
import { composeWorkingTree, runSchemaCheck, type SchemaCheckOptions } from '../run-check';
import { productsSchemaVariant, replaceOnce } from './schema-variant';

const run = promisify(execFile);
const now = new Date('2026-12-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

describe('schema:check', () => {
  const temp = makeTempDir('schema-check');
  let webManifest: string;
  let options: SchemaCheckOptions;

  const variant = (name: string, edit?: (products: string) => string) =>
    productsSchemaVariant(path.join(temp.dir, name), edit);

  const removeReviewCursor = (sdl: string) =>
    replaceOnce(
      sdl,
      'type ReviewEdge @tag(name: "partner") @cacheControl(inheritMaxAge: true) {\n  cursor: String!\n',
      'type ReviewEdge @tag(name: "partner") @cacheControl(inheritMaxAge: true) {\n',
    );

  const withUsage = (name: string, usage: unknown) => {
    const file = path.join(temp.dir, `${name}-usage.json`);
    writeFileSync(file, JSON.stringify(usage));
    return file;
  };

  beforeAll(() => {
    // The published schema: today's subgraphs, composed from their unmodified copies.
    const published = path.join(temp.dir, 'published');
    const { apiSchema, contract } = composeWorkingTree(variant('published'));
    publish(published, printSortedSchema(apiSchema), contract.printSdl(), now);
    webManifest = writeWebManifest(); // generated from web/src, as npm run build does
    options = {
      publishedDir: published,
      partnersFile: path.join(temp.dir, 'no-partners.json'),
      usageFile: withUsage('none', { version: 1, clients: {} }),
      usageDays: 30,
      webManifest,
      now,
    };
  });
  afterAll(() => temp.remove());

  it('fails when a field the web manifest uses is removed, naming the operation, its client and the field', async () => {
    const config = variant('brand-removed', (sdl) =>
      replaceOnce(sdl, '  brand: String! @tag(name: "partner")\n', ''),
    );
    const outcome = await runSchemaCheck({ ...options, supergraphConfig: config });
    expect(outcome.ok).toBe(false);
    expect(outcome.result.broken).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ client: 'web', source: 'web manifest', operation: 'ProductPage', path: 'Product.brand' }),
        expect.objectContaining({ client: 'web', operation: 'SearchProducts', path: 'Product.brand' }),
      ]),
    );
    expect(outcome.report).toMatch(/\| web \| web manifest \| `ProductPage` \| `Product.brand` \|/);

    // The command: exit 1, the report written where it says.
    const report = path.join(temp.dir, 'brand-removed.md');
    const failed = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'scripts', 'schema', 'check-command.ts'),
        '--config', config,
        '--published', options.publishedDir,
        '--partners', options.partnersFile,
        '--usage', options.usageFile,
        '--web-manifest', webManifest,
        '--report', report,
      ],
      { cwd: repoRoot },
    ).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain(`Report: ${report}`);
    expect(readFileSync(report, 'utf8')).toContain('# Schema check: FAILED');
  });

  it('passes when a field no client uses is removed, and gives its evidence', async () => {
    const outcome = await runSchemaCheck({
      ...options,
      supergraphConfig: variant('cursor-removed', (sdl) =>
        replaceOnce(sdl, '  "Opaque; pass as `after` to continue after this product."\n  cursor: String!\n', ''),
      ),
    });
    expect(outcome.result.broken).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.result.changes).toEqual([
      expect.objectContaining({ level: 'BREAKING', type: 'FIELD_REMOVED', path: 'ProductEdge.cursor', affected: [] }),
    ]);
    expect(outcome.report).toContain('## Breaking changes no client uses: safe to ship');
    expect(outcome.report).toMatch(/Field 'cursor' was removed from object type 'ProductEdge' \(`ProductEdge.cursor`\): none of the operations/);
    const webOperations = JSON.parse(readFileSync(webManifest, 'utf8')).operations.length as number;
    expect(outcome.report).toContain(`the web client's manifest: ${webOperations} operations`);
    expect(outcome.report).toContain('seen since 2026-11-01T12:00:00.000Z (the last 30 days)');
  });

  it("blocks removing a field a partner used within the usage window (recorded usage), not one last used before it", async () => {
    const config = variant('review-cursor-removed', removeReviewCursor);
    const recorded = (lastSeen: string) => ({
      version: 1,
      clients: { acme: { operations: {}, fields: { 'ReviewEdge.cursor': { lastSeen, count: 12 } } } },
    });
    const recent = await runSchemaCheck({ ...options, supergraphConfig: config, usageFile: withUsage('recent', recorded(daysAgo(3))) });
    expect(recent.ok).toBe(false);
    expect(recent.result.broken).toEqual([
      expect.objectContaining({
        client: 'acme',
        source: 'recorded usage (field)',
        operation: 'ReviewEdge.cursor',
        path: 'ReviewEdge.cursor',
        lastSeen: daysAgo(3),
      }),
    ]);
    expect(recent.report).toContain('| acme | recorded usage (field) |');

    const stale = await runSchemaCheck({ ...options, supergraphConfig: config, usageFile: withUsage('stale', recorded(daysAgo(45))) });
    expect(stale.ok).toBe(true);
    expect(stale.report).toContain('1 older entries not counted');
  });

  it("blocks a change to what a partner's recorded operation selects, naming it", async () => {
    const document = 'query PartnerReviewPages { product(id: "p1") { reviews { edges { cursor } } } }';
    const outcome = await runSchemaCheck({
      ...options,
      supergraphConfig: variant('review-cursor-removed-again', removeReviewCursor),
      usageFile: withUsage('operation', {
        version: 1,
        clients: {
          acme: { operations: { PartnerReviewPages: { document, lastSeen: daysAgo(1), count: 3 } }, fields: {} },
        },
      }),
    });
    expect(outcome.result.broken).toEqual([
      expect.objectContaining({ client: 'acme', source: 'recorded usage', operation: 'PartnerReviewPages', path: 'ReviewEdge.cursor' }),
    ]);
  });

  it('classifies nullability and argument changes as @graphql-inspector/core documents', async () => {
    const config = variant('classification', (sdl) => {
      let edited = replaceOnce(sdl, '  "Opaque; pass as `after` to continue after this product."\n  cursor: String!\n', '');
      edited = replaceOnce(edited, '  count: Int!\n}', '  count: Int\n}'); // Rating.count: output made nullable
      edited = replaceOnce(edited, 'reviews(first: Int = 10, after: String)', 'reviews(first: Int!, after: String)');
      edited = replaceOnce(edited, '  categories: [Category!]!', '  categories(parent: ID): [Category!]!');
      return edited;
    });
    const { result } = await runSchemaCheck({ ...options, supergraphConfig: config });
    const levelAt = (type: string, path: string) =>
      result.changes.find((change) => change.type === type && change.path === path)?.level;
    expect(levelAt('FIELD_REMOVED', 'ProductEdge.cursor')).toBe('BREAKING');
    expect(levelAt('FIELD_TYPE_CHANGED', 'Rating.count')).toBe('BREAKING');
    expect(levelAt('FIELD_ARGUMENT_TYPE_CHANGED', 'Product.reviews.first')).toBe('BREAKING');
    expect(levelAt('FIELD_ARGUMENT_ADDED', 'Query.categories.parent')).toBe('DANGEROUS');
    // A nullable output still validates; the web operations reading it are reported all the same.
    expect(result.broken).toEqual(
      expect.arrayContaining([expect.objectContaining({ client: 'web', operation: 'ProductPage', path: 'Rating.count' })]),
    );
    expect(result.broken.some((affected) => affected.path === 'Query.categories.parent')).toBe(false);
  });
});

describe('checkSchema on operations invalid against the published schema', () => {
  const published = buildSchema('type Query { a: Int b: Int }');
  const proposed = buildSchema('type Query { a: Int b: Int c: Int }');
  const operation = (source: RegisteredOperation['source'], document: string): RegisteredOperation => ({
    client: source === 'web manifest' ? 'web' : 'acme',
    source,
    name: 'Op',
    document,
  });

  it('accepts an operation written for what the change adds', async () => {
    const result = await checkSchema({ published, proposed, operations: [operation('web manifest', '{ c }')], recentFields: [] });
    expect([result.ok, result.broken, result.alreadyInvalid]).toEqual([true, [], []]);
  });

  it("lists a partner's operation broken before the change without blocking; blocks the web client's", async () => {
    const partner = await checkSchema({ published, proposed, operations: [operation('partner manifest', '{ d }')], recentFields: [] });
    expect(partner.ok).toBe(true);
    expect(partner.alreadyInvalid).toEqual([expect.objectContaining({ client: 'acme', detail: expect.stringContaining('"d"') })]);
    const web = await checkSchema({ published, proposed, operations: [operation('web manifest', '{ d }')], recentFields: [] });
    expect(web.ok).toBe(false);
    expect(web.broken).toEqual([expect.objectContaining({ client: 'web', operation: 'Op' })]);
  });
});

describe('checkSchema on values sent through variables', () => {
  // What a variable carries is not in the document: every input type and enum nested in the
  // variable's type may be in it, so a breaking change to any of them reaches the operation.
  const sdl = (inner: string, size: string) => `
    enum Size { ${size} }
    input Inner { ${inner} }
    input Outer { inner: Inner size: Size }
    type Query { f(o: Outer): Int g: Int }`;
  const published = buildSchema(sdl('a: Int b: Int', 'S M L'));
  const sends: RegisteredOperation = {
    client: 'web',
    source: 'web manifest',
    name: 'SendsOuter',
    document: 'query SendsOuter($o: Outer) { f(o: $o) }',
  };
  const other: RegisteredOperation = { ...sends, name: 'ReadsG', document: 'query ReadsG { g }' };
  const check = (proposed: string, recentFields: Parameters<typeof checkSchema>[0]['recentFields'] = []) =>
    checkSchema({ published, proposed: buildSchema(proposed), operations: [sends, other], recentFields });

  it.each([
    ['an input field removed', sdl('a: Int', 'S M L'), 'Inner.b'],
    ['a required input field added', sdl('a: Int b: Int c: Int!', 'S M L'), 'Inner.c'],
    ['an enum value removed', sdl('a: Int b: Int', 'S M'), 'Size.L'],
  ])('%s two levels down reaches the operation that sends the outer input, not the others', async (_, proposed, path) => {
    const result = await check(proposed);
    expect(result.ok).toBe(false);
    expect(result.broken).toEqual([expect.objectContaining({ operation: 'SendsOuter', path })]);
  });

  it('reaches a recorded use of the argument that takes the outer input', async () => {
    const result = await checkSchema({
      published,
      proposed: buildSchema(sdl('a: Int', 'S M L')),
      operations: [],
      recentFields: [{ client: 'acme', coordinate: 'Query.f(o)', lastSeen: '2026-12-01T00:00:00.000Z', count: 1 }],
    });
    expect(result.broken).toEqual([
      expect.objectContaining({ client: 'acme', source: 'recorded usage (field)', operation: 'Query.f(o)', path: 'Inner.b' }),
    ]);
  });
});
