// npm run schema:deprecations: who still uses each deprecated element (a temp-dir copy of the
// products schema deprecates a field the web client reads), and the web client's operations use no
// deprecated element of the real schema.
import { makeTempDir } from '@cloudmart/test-kit';
import { writeWebManifest } from '../../build';
import { deprecationsInUse, renderDeprecations } from '../deprecations';
import { manifestOperations, WEB_CLIENT, type RegisteredOperation } from '../registered-operations';
import { composeWorkingTree } from '../run-check';
import { productsSchemaVariant, replaceOnce } from './schema-variant';

describe('schema:deprecations', () => {
  const temp = makeTempDir('schema-deprecations');
  afterAll(() => temp.remove());
  let web: RegisteredOperation[];
  beforeAll(() => {
    web = manifestOperations(writeWebManifest(), WEB_CLIENT, 'web manifest'); // from web/src, as npm run build
  });

  it('lists a deprecated field with the operations and recorded clients still using it', () => {
    const yaml = productsSchemaVariant(temp.dir, (sdl) =>
      replaceOnce(
        sdl,
        '  brand: String! @tag(name: "partner")\n',
        '  brand: String! @tag(name: "partner") @deprecated(reason: "Use `maker`.")\n',
      ),
    );
    const { apiSchema } = composeWorkingTree(yaml);

    const deprecations = deprecationsInUse(apiSchema, web, [
      { client: 'acme', coordinate: 'Product.brand', lastSeen: '2026-12-01T10:00:00.000Z', count: 4 },
    ]);
    expect(deprecations).toEqual([
      {
        coordinate: 'Product.brand',
        kind: 'field',
        reason: 'Use `maker`.',
        users: expect.arrayContaining([
          { client: 'web', source: 'web manifest', operation: 'ProductPage' },
          { client: 'web', source: 'web manifest', operation: 'SearchProducts' },
          { client: 'acme', source: 'recorded usage (field)', operation: 'Product.brand', lastSeen: '2026-12-01T10:00:00.000Z', count: 4 },
        ]),
      },
    ]);
    const listing = renderDeprecations(deprecations, 'in the last 30 days');
    expect(listing).toContain('| `Product.brand` | field | Use `maker`. | web | web manifest | `ProductPage` | — |');
    expect(listing).toContain('| acme | recorded usage (field) | `Product.brand` | 2026-12-01T10:00:00.000Z |');
  });

  it("finds no deprecated element in the web client's operations against the real schema", () => {
    const { apiSchema } = composeWorkingTree();
    const inUse = deprecationsInUse(apiSchema, web, []).filter((deprecation) => deprecation.users.length > 0);
    expect(inUse).toEqual([]);
  });
});
