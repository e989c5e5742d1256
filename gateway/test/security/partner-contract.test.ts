// The partner contract cut from @tag(name: "partner"), without a running supergraph: what it holds,
// where an operation leaves it (with paths), and registration refusing a manifest outside it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { makeTempDir } from '@cloudmart/test-kit';
import { supergraphFile } from '../../src/compose';
import {
  OUTSIDE_CONTRACT_CODE,
  PartnerContract,
  PartnerContractGuard,
} from '../../src/security/partner-contract';
import { registerPartner } from '../../src/security/partners';
import { sha256Hex } from '../../src/security/persisted-queries';

const contract = PartnerContract.fromSupergraph(readFileSync(supergraphFile, 'utf8'));
const fieldsOf = (typeName: string) => {
  const type = contract.schema.getType(typeName);
  return type && 'getFields' in type ? Object.keys(type.getFields()).sort() : undefined;
};

describe('partner contract', () => {
  it('holds the tagged public catalog and nothing of accounts, orders, payments or admin', () => {
    expect(contract.problems).toEqual([]);
    expect(fieldsOf('Query')).toEqual(['categories', 'product', 'products']);
    expect(contract.schema.getMutationType()).toBeUndefined();
    expect(contract.schema.getSubscriptionType()).toBeUndefined();
    expect(fieldsOf('User')).toEqual(['id', 'name']);
    expect(fieldsOf('Product')).not.toContain('recommendations');
    expect(fieldsOf('Product')).not.toContain('sentiment');
    expect(fieldsOf('Review')).not.toContain('sentiment');
    for (const type of ['Order', 'Cart', 'Payment', 'Address', 'SalesPeriod']) {
      expect(contract.schema.getType(type)).toBeUndefined();
    }
    // Input types and enums come whole with the fields that take them.
    expect(contract.schema.getType('ProductFilter')).toBeDefined();
    expect(contract.printSdl()).toContain('products(after: String, filter: ProductFilter');
  });

  it('names every field outside it with its path and coordinate; fragments are walked once', () => {
    const document = parse(`
      query Peek { products { edges { node { id ...Card ...Card inventory { available } } } } me { email } }
      fragment Card on Product { name sentiment { average } recommendations { id } }
    `);
    expect(contract.violations(document)).toEqual([
      { coordinate: 'Query.me', path: 'me' },
      { coordinate: 'Product.sentiment', path: '...Card.sentiment' },
      { coordinate: 'Product.recommendations', path: '...Card.recommendations' },
    ]);
    expect(contract.violations(parse('query Fine { categories { id name __typename } }'))).toEqual([]);
    expect(contract.violations(parse('{ __schema { types { name } } }'))).toEqual([
      { coordinate: 'Query.__schema', path: '__schema' },
    ]);
    expect(contract.violations(parse('{ product(id: "1") { ... on Order { id } } }'))).toEqual([
      { coordinate: 'Order', path: 'product.... on Order' },
    ]);
  });

  it('refuses at request time with a coded error, one analysis per operation id', () => {
    const guard = new PartnerContractGuard(contract, 0);
    const body = 'query Leak { product(id: "1") { id sentiment { average } } }';
    const refusal = guard.refusalFor(sha256Hex(body), body);
    expect(refusal?.extensions).toEqual({ code: OUTSIDE_CONTRACT_CODE, http: { status: 403 } });
    expect(refusal?.message).toContain('product.sentiment (Product.sentiment) is not in the partner contract');
    expect(guard.refusalFor(sha256Hex(body), body)).toBe(refusal); // remembered even with caches off
    const fine = 'query Fine { categories { id } }';
    expect(guard.refusalFor(sha256Hex(fine), fine)).toBeNull();
  });
});

describe('partner registration', () => {
  const temp = makeTempDir('partner-contract');
  afterAll(() => temp.remove());
  const manifestOf = (bodies: string[]) => ({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: bodies.map((body) => ({ id: sha256Hex(body), name: /query (\w+)/.exec(body)?.[1], type: 'query', body })),
  });

  it('refuses a manifest with an operation outside the contract, naming the operation and the path', () => {
    const manifest = path.join(temp.dir, 'outside.json');
    writeFileSync(
      manifest,
      JSON.stringify(
        manifestOf([
          'query Inside { categories { id } }',
          'query Outside { products { edges { node { id recommendations { id } } } } }',
        ]),
      ),
    );
    const config = { NODE_ENV: 'test', DATA_DIR: temp.dir };
    expect(() => registerPartner(config, 'leaky', manifest)).toThrow(
      'operation Outside: products.edges.node.recommendations (Product.recommendations) is not in the partner contract',
    );
    expect(() => readFileSync(path.join(temp.dir, 'partners.json'))).toThrow(/ENOENT/);
  });

  it('refuses an operation the contract cannot run for other reasons, with graphql-js validation', () => {
    const manifest = path.join(temp.dir, 'invalid.json');
    writeFileSync(manifest, JSON.stringify(manifestOf(['query Unknown { categories { nope } }'])));
    expect(() => registerPartner({ NODE_ENV: 'test', DATA_DIR: temp.dir }, 'typo', manifest)).toThrow(
      /operation Unknown: .*Cannot query field "nope" on type "Category"/,
    );
  });
});
