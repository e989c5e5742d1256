// The repository's own lint rule: a relative import may not leave its workspace package (import
// the package by name instead). Checked through ESLint's Node API with the repository's config.
import path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..');
const RULE = 'cloudmart/no-cross-package-relative-import';

async function crossings(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result!.messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
}

describe(RULE, () => {
  it('reports a relative import into another workspace package, in every form an import takes', async () => {
    const code = [
      "import { gql } from '../../orders/test/helpers';",
      "export { start } from '../../../gateway/src/server';",
      "export * from '../../orders/src/data/items';",
      "const later = () => import('../../orders/src/server');",
      "const required = require('../../../scripts/build');",
      "jest.mock('../../orders/src/services/payments');",
      "type Items = typeof import('../../orders/src/data/items');",
      'export { later, required, type Items };',
    ].join('\n');
    expect(await crossings('subgraphs/insights/test/example.test.ts', code)).toHaveLength(7);
  });

  it('names both packages in its message', async () => {
    expect(
      await crossings('gateway/test/example.test.ts', "import '../../subgraphs/orders/test/helpers';\n"),
    ).toEqual([
      "'../../subgraphs/orders/test/helpers' leaves package gateway for subgraphs/orders: import it by package name, through an `exports` entry of subgraphs/orders.",
    ]);
  });

  it('reports the root package (bench, test/e2e) reaching into a workspace, and a workspace reaching into the root', async () => {
    expect(await crossings('bench/auth.bench.ts', "import '../scripts/processes';\n")).toHaveLength(1);
    expect(
      await crossings('test/e2e/security/example.test.ts', "import '../../../gateway/src/server';\n"),
    ).toHaveLength(1);
    expect(
      await crossings('gateway/test/example.test.ts', "import '../../bench/gateway/queries';\n"),
    ).toHaveLength(1);
    // test/kit is a workspace of its own inside the root package's test/ folder.
    expect(await crossings('test/e2e/example.test.ts', "import '../kit/src/shop';\n")).toHaveLength(1);
  });

  it('allows relative imports that stay in their package, and imports by package name', async () => {
    const code = [
      "import { start } from '../src/server';",
      "import { helper } from './helpers';",
      "import { startTestSupergraph } from '@cloudmart/test-kit';",
      "import { start as startGateway } from '@cloudmart/gateway/server';",
      'export { start, helper, startTestSupergraph, startGateway };',
    ].join('\n');
    expect(await crossings('subgraphs/orders/test/example.test.ts', code)).toEqual([]);
    expect(
      await crossings(
        'test/e2e/federation/example.test.ts',
        "import { inBatches } from './in-batches';\nimport '../../../bench/gateway/queries';\nexport { inBatches };\n",
      ),
    ).toEqual([]);
  });
});
