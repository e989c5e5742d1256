// The README's configuration table is the operator's reference: every variable any service
// reads must be in it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';

/** The object schema's keys, looking through `.transform()` pipes. */
function keysOf(schema: unknown): string[] {
  let current = schema as { shape?: object; in?: unknown };
  while (!current.shape && current.in) current = current.in as typeof current;
  if (!current.shape) throw new Error('config schema is not an object schema');
  return Object.keys(current.shape);
}

async function configVariables(configModule: string): Promise<string[]> {
  const exports = (await import(configModule)) as Record<string, unknown>;
  return Object.entries(exports)
    .filter(([name]) => name.endsWith('ConfigSchema'))
    .flatMap(([, schema]) => keysOf(schema));
}

describe('README', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('documents every environment variable of the gateway and every subgraph', async () => {
    const modules = [
      path.join(repoRoot, 'gateway', 'src', 'config.ts'),
      ...readSupergraphConfig().subgraphs.map((subgraph) => path.join(subgraph.packageDir, 'src', 'config.ts')),
    ];
    const variables = new Set((await Promise.all(modules.map(configVariables))).flat());
    expect(variables.size).toBeGreaterThan(10);
    const undocumented = [...variables].filter((variable) => !readme.includes(`\`${variable}\``));
    expect(undocumented).toEqual([]);
  });

  it('shows a new user the two commands', () => {
    expect(readme).toContain('npm install\nnpm start');
    expect(readme).toContain('npm test');
  });
});

/**
 * Every file a document links to or names by its repository path exists, so a move or a rename
 * that forgets the docs fails here. Named paths are `backticked` ones starting with a top-level
 * folder (from the repository root) and, in a package's README, ones relative to that package.
 */
/**
 * Whether a path is one the repository ignores (a build's or a test's output, such as web/dist/):
 * it exists only once something has made it, which in a fresh clone may be after this test runs.
 */
const generated = (file: string) =>
  spawnSync('git', ['check-ignore', '--no-index', '-q', path.relative(repoRoot, file) + (file.endsWith('/') ? '/' : '')], { cwd: repoRoot })
    .status === 0;

describe('documentation paths', () => {
  const topFolders = ['subgraphs/', 'gateway/', 'scripts/', 'test/', 'bench/', 'docs/', 'web/', 'k8s/', 'infra/', 'docker/', '.ci/', '.github/'];
  const documents = [
    'README.md',
    ...readdirSync(path.join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`),
    ...['gateway', 'web', ...readdirSync(path.join(repoRoot, 'subgraphs')).map((name) => `subgraphs/${name}`)]
      .map((dir) => `${dir}/README.md`)
      .filter((file) => existsSync(path.join(repoRoot, file))),
  ];

  it.each(documents)('%s names only files that exist', (document) => {
    const file = path.join(repoRoot, document);
    const text = readFileSync(file, 'utf8');
    const missing: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      if (!existsSync(path.resolve(path.dirname(file), target!))) missing.push(target!);
    }
    for (const [, named] of text.matchAll(/`([\w./@-]+)`/g)) {
      if (!topFolders.some((folder) => named!.startsWith(folder))) continue;
      const relative = named!.replace(/\/$/, '');
      const candidates = [path.join(repoRoot, relative), path.join(path.dirname(file), relative)];
      // A trailing slash names a folder, which is how an ignore pattern such as `dist/` matches.
      const slash = named!.endsWith('/') ? '/' : '';
      if (candidates.some((candidate) => existsSync(candidate) || generated(candidate + slash))) continue;
      missing.push(named!);
    }
    expect(missing).toEqual([]);
  });
});
