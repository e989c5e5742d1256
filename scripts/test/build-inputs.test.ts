// A service bundle (and so its image) carries production code only: the build refuses one that
// took in a development launcher or a test helper. The full build in build.test.ts runs the same
// check over every real bundle.
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { assertProductionOnly } from '../build';

const orders = path.join(repoRoot, 'subgraphs', 'orders');
const users = path.join(repoRoot, 'subgraphs', 'users');

describe('assertProductionOnly', () => {
  it('accepts a bundle of service, runtime and third-party code', () => {
    expect(() =>
      assertProductionOnly(orders, [
        'subgraphs/orders/src/index.ts',
        'subgraphs/runtime/src/define-subgraph.ts',
        'subgraphs/products/src/contract.ts',
        'node_modules/some-package/test/index.js',
      ]),
    ).not.toThrow();
    // The users database migration is a production program kept in users' own scripts/ folder.
    expect(() => assertProductionOnly(users, ['subgraphs/users/scripts/migrate-deploy.ts'])).not.toThrow();
  });

  it.each([
    ['the test kit', 'test/kit/src/shop.ts'],
    ['a development launcher', 'scripts/local/dynamodb-local.ts'],
    ["a package's test helpers", 'subgraphs/orders/test/helpers.ts'],
    ['a bench', 'bench/percentile.ts'],
  ])('refuses %s, naming it', (_what, input) => {
    expect(() => assertProductionOnly(orders, ['subgraphs/orders/src/index.ts', input])).toThrow(input);
  });
});
