// Ported from the federation-gateway-audit suite "complex-entity-call": composite and nested
// @key field sets (a list of entities as a key, keys through another entity), resolved in a
// chain across four subgraphs.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  { id: '1', pid: 'p1', categoryId: 'c1', price: 100 },
  { id: '2', pid: 'p2', categoryId: 'c2', price: 200 },
];
const categories = [
  { id: 'c1', tag: 't1', mainProduct: '1' },
  { id: 'c2', tag: 't2', mainProduct: '2' },
];
type Product = (typeof products)[number];
type ProductKey = { id: string; pid: string; category: { id: string; tag: string } };
const categoryOf = (product: Product) => categories.find((category) => category.id === product.categoryId);
const matchesKey = (product: Product, key: ProductKey) => {
  const category = categoryOf(product);
  return (
    product.id === key.id &&
    product.pid === key.pid &&
    category?.id === key.category.id &&
    category.tag === key.category.tag
  );
};

export const complexEntityCall: CompatCase = {
  name: 'complex-entity-call',
  source: `${AUDIT}/complex-entity-call`,
  covers: ['composite @key field sets', 'keys with nested entities and lists', 'entity chains', '@shareable'],
  subgraphs: [
    {
      name: 'products',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@external", "@extends", "@shareable"])

        type Query {
          topProducts: ProductList!
        }

        type ProductList @key(fields: "products{id}") {
          products: [Product!]!
        }

        type Product @extends @key(fields: "id") {
          id: String! @external
          category: Category @shareable
        }

        type Category @key(fields: "id") {
          mainProduct: Product! @shareable
          id: String!
          tag: String @shareable
        }
      `,
      resolvers: {
        Query: { topProducts: () => ({ products }) },
        ProductList: {
          __resolveReference: (key: { products: { id: string }[] }) => ({
            products: products.filter((product) => key.products.some((k) => k.id === product.id)),
          }),
        },
        Product: {
          __resolveReference: ({ id }: { id: string }) => products.find((product) => product.id === id),
          category: categoryOf,
        },
        Category: {
          __resolveReference: ({ id }: { id: string }) => categories.find((category) => category.id === id),
          mainProduct: (category: (typeof categories)[number]) =>
            products.find((product) => product.id === category.mainProduct),
        },
      },
    },
    {
      name: 'link',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])

        type Product @key(fields: "id") @key(fields: "id pid") {
          id: String!
          pid: String!
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: { id: string; pid?: string }) =>
            products.find(
              (product) => product.id === key.id && (key.pid === undefined || product.pid === key.pid),
            ),
        },
      },
    },
    {
      name: 'list',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])

        type ProductList @key(fields: "products{id pid}") {
          products: [Product!]!
          first: Product @shareable
          selected: Product @shareable
        }

        type Product @key(fields: "id pid") {
          id: String!
          pid: String
        }
      `,
      resolvers: {
        ProductList: {
          __resolveReference: (key: { products: { id: string; pid: string }[] }) => {
            const found = products.filter((product) =>
              key.products.some((k) => k.id === product.id && k.pid === product.pid),
            );
            return { products: found, first: found[0], selected: found[1] };
          },
        },
        Product: {
          __resolveReference: (key: { id: string; pid: string }) =>
            products.find((product) => product.id === key.id && product.pid === key.pid),
        },
      },
    },
    {
      name: 'price',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])

        type ProductList @key(fields: "products{id pid category{id tag}} selected{id}") {
          products: [Product!]!
          first: Product @shareable
          selected: Product @shareable
        }

        type Product @key(fields: "id pid category{id tag}") {
          id: String!
          price: Price
          pid: String
          category: Category
        }

        type Category @key(fields: "id tag") {
          id: String!
          tag: String
        }

        type Price {
          price: Float!
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: ProductKey) => products.find((product) => matchesKey(product, key)),
          price: (product: Product) => ({ price: product.price }),
          category: categoryOf,
        },
        Category: {
          __resolveReference: ({ id }: { id: string }) => categories.find((category) => category.id === id),
        },
        ProductList: {
          __resolveReference: (key: { products: ProductKey[]; selected: { id: string } }) => {
            const found = products.filter((product) => key.products.some((k) => matchesKey(product, k)));
            return {
              products: found,
              first: found[0],
              selected: products.find((p) => p.id === key.selected.id),
            };
          },
        },
      },
    },
  ],
  queries: [
    {
      query: `{
        topProducts {
          products { id pid price { price } category { mainProduct { id } id tag } }
          selected { id }
          first { id }
        }
      }`,
      expected: {
        data: {
          topProducts: {
            products: [
              {
                id: '1',
                pid: 'p1',
                price: { price: 100 },
                category: { mainProduct: { id: '1' }, id: 'c1', tag: 't1' },
              },
              {
                id: '2',
                pid: 'p2',
                price: { price: 200 },
                category: { mainProduct: { id: '2' }, id: 'c2', tag: 't2' },
              },
            ],
            selected: { id: '2' },
            first: { id: '1' },
          },
        },
      },
    },
  ],
};
