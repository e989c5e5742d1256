// Ported from the federation-gateway-audit suite "requires-with-fragments": @requires with a
// selection through interfaces and nested inline fragments, @inaccessible on a shared type.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const entities = [
  { id: 'e1', data: 'b1' },
  { id: 'e2', data: 'q1' },
];
const bazs = [{ __typename: 'Baz', id: 'b1', foo: 'b1-foo', bar: 'b1-bar', baz: 'b1-baz' }];
const quxs = [{ __typename: 'Qux', id: 'q1', foo: 'q1-foo', bar: 'q1-bar', qux: 'q1-qux' }];

const dataOf = ({ id }: { id: string }) => {
  const data = entities.find((entity) => entity.id === id)?.data;
  if (!data) return null;
  const found = bazs.find((baz) => baz.id === data) ?? quxs.find((qux) => qux.id === data);
  if (!found) throw new Error('Invalid data');
  return found;
};

const sharedTypes = (bazDirectives: string) => `
  interface Foo {
    foo: String!
  }

  interface Bar implements Foo {
    foo: String!
    bar: String!
  }

  type Baz implements Foo & Bar @shareable ${bazDirectives} {
    foo: String!
    bar: String!
    baz: String!
  }

  type Qux implements Foo & Bar @shareable {
    foo: String!
    bar: String!
    qux: String!
  }
`;

type WithData = { id: string; data?: { foo: string } };

export const requiresWithFragments: CompatCase = {
  name: 'requires-with-fragments',
  source: `${AUDIT}/requires-with-fragments`,
  covers: [
    '@requires through interfaces and inline fragments',
    '@inaccessible',
    '@shareable types',
    'abstract types',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])

        type Query @shareable {
          a: Entity
        }

        type Entity @key(fields: "id") {
          id: ID!
          data: Foo
        }
        ${sharedTypes('')}
      `,
      resolvers: {
        Query: { a: () => entities[1] },
        Entity: {
          __resolveReference: ({ id }: { id: string }) => entities.find((entity) => entity.id === id) ?? null,
          data: dataOf,
        },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(
            url: "https://specs.apollo.dev/federation/v2.5"
            import: ["@key", "@shareable", "@inaccessible", "@external", "@requires"]
          )

        type Query @shareable {
          b: Entity
          bb: Entity
        }

        type Entity @key(fields: "id") {
          id: ID!
          data: Foo @external
          requirer: String!
            @requires(fields: "data { foo ... on Bar { bar ... on Baz { baz } ... on Qux { qux } } }")
          requirer2: String! @requires(fields: "data { ... on Foo { foo } }")
        }
        ${sharedTypes('@inaccessible')}
      `,
      resolvers: {
        Query: { b: () => entities[0], bb: () => entities[1] },
        Entity: {
          __resolveReference: (key: WithData) => {
            const entity = entities.find((candidate) => candidate.id === key.id);
            return entity ? { ...entity, ...key } : null;
          },
          data: dataOf,
          requirer: (entity: WithData) => {
            if (!entity.data) throw new Error('Expected entity to have a data field');
            return `${entity.data.foo}_requirer`;
          },
          requirer2: (entity: WithData) => {
            if (!entity.data) throw new Error('Expected entity to have a data field');
            return `${entity.data.foo}_requirer2`;
          },
        },
      },
    },
  ],
  queries: [
    {
      query: '{ b { id data { __typename } } bb { id data { __typename } } }',
      expected: { data: { b: { id: 'e1', data: null }, bb: { id: 'e2', data: { __typename: 'Qux' } } } },
    },
    { query: '{ a { requirer } }', expected: { data: { a: { requirer: 'q1-foo_requirer' } } } },
    {
      query: '{ a { data { __typename } requirer } }',
      expected: { data: { a: { data: { __typename: 'Qux' }, requirer: 'q1-foo_requirer' } } },
    },
    {
      query: '{ bb { data { __typename } requirer } }',
      expected: { data: { bb: { data: { __typename: 'Qux' }, requirer: 'q1-foo_requirer' } } },
    },
    {
      query: '{ b { data { __typename } requirer } }',
      expected: { data: { b: { data: null, requirer: 'b1-foo_requirer' } } },
    },
    {
      query: '{ bb { data { __typename } requirer2 } }',
      expected: { data: { bb: { data: { __typename: 'Qux' }, requirer2: 'q1-foo_requirer2' } } },
    },
  ],
};
