// Modelled on the federation-gateway-audit suite "keys-mashup": an entity with two keys (one
// simple, one composite with a nested object), referenced from another subgraph by the
// composite key only; a field there @requires a field the first subgraph resolves, so the plan
// goes there and back for a list of them.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const as = [
  { id: '1', pId: 'p1', compositeId: { one: '1', two: '2', three: '3' }, name: 'a.1' },
  { id: '2', pId: 'p2', compositeId: { one: '4', two: '5', three: '6' }, name: 'a.2' },
];
const bs = [
  { id: '100', a: ['1'] },
  { id: '200', a: ['2', '1'] },
];

type CompositeKey = { pId: string; compositeId: { one: string; two: string } };
const byComposite = (key: CompositeKey) =>
  as.find(
    (a) =>
      a.pId === key.pId &&
      a.compositeId.one === key.compositeId.one &&
      a.compositeId.two === key.compositeId.two,
  );

export const keysMashup: CompatCase = {
  name: 'keys-mashup',
  source: `${AUDIT}/keys-mashup`,
  covers: [
    'several @key per entity',
    'composite keys with nested objects',
    '@requires across keys',
    'lists of entities',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type A @key(fields: "id") @key(fields: "pId compositeId { one two }") {
          id: ID!
          pId: ID!
          compositeId: CompositeID!
          name: String!
        }

        type CompositeID @shareable {
          one: ID!
          two: ID!
          three: ID!
        }
      `,
      resolvers: {
        A: {
          __resolveReference: (key: { id?: string } & Partial<CompositeKey>) =>
            (key.id !== undefined ? as.find((a) => a.id === key.id) : byComposite(key as CompositeKey)) ??
            null,
        },
      },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema
          @link(
            url: "https://specs.apollo.dev/federation/v2.3"
            import: ["@key", "@shareable", "@external", "@requires"]
          )

        type Query {
          b: B
          bs: [B!]!
        }

        type B @key(fields: "id") {
          id: ID!
          a: [A!]!
        }

        type A @key(fields: "pId compositeId { one two }") {
          pId: ID!
          compositeId: CompositeID!
          name: String! @external
          nameInB: String! @requires(fields: "name")
        }

        type CompositeID @shareable {
          one: ID!
          two: ID!
        }
      `,
      resolvers: (() => {
        const withAs = (b: (typeof bs)[number]) => ({
          id: b.id,
          a: b.a.map((id) => {
            const { pId, compositeId } = as.find((a) => a.id === id)!;
            return { pId, compositeId: { one: compositeId.one, two: compositeId.two } };
          }),
        });
        return {
          Query: { b: () => withAs(bs[0]!), bs: () => bs.map(withAs) },
          B: {
            __resolveReference: ({ id }: { id: string }) => {
              const b = bs.find((candidate) => candidate.id === id);
              return b ? withAs(b) : null;
            },
          },
          A: {
            __resolveReference: (key: CompositeKey & { name?: string }) => key,
            nameInB: ({ name }: { name?: string }) => {
              if (name === undefined) throw new Error('name was not provided');
              return `b.a.nameInB ${name}`;
            },
          },
        };
      })(),
    },
  ],
  queries: [
    {
      query: '{ b { id a { id name nameInB } } }',
      expected: { data: { b: { id: '100', a: [{ id: '1', name: 'a.1', nameInB: 'b.a.nameInB a.1' }] } } },
    },
    {
      // Ours: a list of them, the same A under two Bs, and the nested key object selected.
      query: '{ bs { id a { nameInB pId compositeId { one two three } } } }',
      expected: {
        data: {
          bs: [
            {
              id: '100',
              a: [{ nameInB: 'b.a.nameInB a.1', pId: 'p1', compositeId: { one: '1', two: '2', three: '3' } }],
            },
            {
              id: '200',
              a: [
                { nameInB: 'b.a.nameInB a.2', pId: 'p2', compositeId: { one: '4', two: '5', three: '6' } },
                { nameInB: 'b.a.nameInB a.1', pId: 'p1', compositeId: { one: '1', two: '2', three: '3' } },
              ],
            },
          ],
        },
      },
    },
  ],
};
