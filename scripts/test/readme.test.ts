// The README's configuration table is the operator's reference: every variable any service
// reads must be in it.
import { readFileSync } from 'node:fs';
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
