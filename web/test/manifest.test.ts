// The persisted-query manifest that the build writes holds every operation the client's source
// sends: each `graphql(`…`)` document in web/src, read here independently of the generator,
// is in web/persisted-query-manifest.json under its name and type, with the same selections
// (the manifest's bodies carry the __typename fields Apollo Client adds), and each id is the
// SHA-256 of its body, the id the client sends.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { makeTempDir } from '@cloudmart/test-kit';
import { webDir } from './browser';

interface Manifest {
  format: string;
  version: number;
  operations: { id: string; name: string; type: string; body: string }[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__generated__' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Every definition written in a `graphql(`…`)` call in the client's source. */
function sourceDefinitions(): DefinitionNode[] {
  return sourceFiles(path.join(webDir, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\bgraphql\(\s*`([^`]*)`\s*\)/g)].flatMap(
      (match) => parse(match[1]!).definitions,
    ),
  );
}

const withoutTypename = (document: DocumentNode) =>
  visit(document, { Field: (node) => (node.name.value === '__typename' && !node.alias ? null : undefined) });

/** An operation with the fragments it uses (transitively), sorted the way the manifest is. */
function standalone(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): string {
  const used = new Set<string>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread: (spread) => {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        expect(fragment).toBeDefined();
        collect(fragment!);
      },
    });
  collect(operation);
  const definitions = [operation, ...[...used].sort().map((name) => fragments.get(name)!)];
  return print({ kind: Kind.DOCUMENT, definitions });
}

describe('persisted-query manifest', () => {
  let manifest: Manifest;

  const temp = makeTempDir('manifest');
  afterAll(() => temp.remove());

  beforeAll(() => {
    // The build's own generator and config, written to a temporary file so that this test does
    // not race a build running beside it.
    const packageJson = JSON.parse(readFileSync(path.join(webDir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const config = packageJson['persisted-query-manifest'] as { output: string };
    const output = path.join(temp.dir, 'manifest.json');
    const configFile = path.join(temp.dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...config, output }));
    const run = spawnSync(
      'npx',
      ['--no-install', 'generate-persisted-query-manifest', '--config', configFile],
      { cwd: webDir, encoding: 'utf8' },
    );
    expect(run.stderr + run.stdout).toContain('Manifest written');
    manifest = JSON.parse(readFileSync(output, 'utf8')) as Manifest;
  });

  it('is in Apollo format, with each id the SHA-256 of its body', () => {
    expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    for (const operation of manifest.operations) {
      expect(operation.id).toBe(createHash('sha256').update(operation.body).digest('hex'));
    }
  });

  it('holds every operation in the client source, and nothing else', () => {
    const definitions = sourceDefinitions();
    const fragments = new Map(
      definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const operations = definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(
      operations.map((o) => o.name!.value).sort(),
    );

    for (const operation of operations) {
      const entry = manifest.operations.find((o) => o.name === operation.name!.value)!;
      expect({ name: entry.name, type: entry.type }).toEqual({
        name: operation.name!.value,
        type: operation.operation,
      });
      const body = parse(entry.body);
      const sorted: DocumentNode = {
        ...body,
        definitions: [...body.definitions].sort((a, b) =>
          a.kind === b.kind ? 0 : a.kind === Kind.OPERATION_DEFINITION ? -1 : 1,
        ),
      };
      expect(print(withoutTypename(sorted))).toBe(standalone(operation, fragments));
    }
  });
});
