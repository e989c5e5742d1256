import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import config from '../../codegen';

describe('codegen', () => {
  it('has a generated resolver types file for every subgraph and the web client\'s documents, and every one is current (run `npm run codegen`)', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
    const expected = readSupergraphConfig().subgraphs.map(({ packageDir }) =>
      path.join(packageDir, 'src', '__generated__', 'resolvers-types.ts'),
    );
    // …and the web client's typed documents (client preset).
    const web = path.join(repoRoot, 'web', 'src', '__generated__');
    expected.push(...['gql.ts', 'graphql.ts', 'index.ts'].map((file) => path.join(web, file)));
    expect(outputs.map((output) => path.resolve(output.filename)).sort()).toEqual(expected.sort());
    for (const output of outputs) {
      expect({ file: output.filename, content: readFileSync(output.filename, 'utf8') }).toEqual({
        file: output.filename,
        content: output.content,
      });
    }
  });
});
