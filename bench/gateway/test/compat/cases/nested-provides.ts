// Ported from the federation-gateway-audit suite "nested-provides": @provides with a nested
// selection on a list, alongside subgraphs that could also resolve the provided fields.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  { id: 'p1', categories: ['c1', 'c2'] },
  { id: 'p2', categories: ['c3', 'c2'] },
];
const categories = [
  { id: 'c1', name: 'Category 1', subCategories: ['c2'] },
  { id: 'c2', name: 'Category 2', subCategories: ['c3'] },
  { id: 'c3', name: 'Category 3', subCategories: ['c1'] },
];
const categoryById = (id: string) => categories.find((category) => category.id === id);
const productReference = ({ id }: { id: string }) => {
  const product = products.find((candidate) => candidate.id === id);
  return product ? { id: product.id, categories: product.categories } : null;
};
const withSubCategories = (id: string) => {
  const category = categoryById(id);
  return category ? { id: category.id, subCategories: category.subCategories } : null;
};

export const nestedProvides: CompatCase = {
  name: 'nested-provides',
  source: `${AUDIT}/nested-provides`,
  covers: ['@provides with nested selections', '@external', '@shareable fields', 'entity lists'],
  subgraphs: [
    {
      name: 'all-products',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type Product @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Product: { __resolveReference: (key: { id: string }) => productReference(key) && { id: key.id } },
      },
    },
    {
      name: 'category',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides"])

        type Query {
          products: [Product] @shareable @provides(fields: "categories { id name subCategories { id name } }")
        }

        type Product @key(fields: "id") {
          id: ID!
          categories: [Category] @external
        }

        type Category @key(fields: "id") {
          id: ID!
          name: String
          subCategories: [Category] @external
        }
      `,
      resolvers: {
        Query: {
          products: () =>
            products.map((product) => ({
              id: product.id,
              categories: product.categories.map((id) => {
                const category = categoryById(id);
                if (!category) return null;
                return {
                  id: category.id,
                  name: category.name,
                  subCategories: category.subCategories.map((subId) => {
                    const sub = categoryById(subId);
                    return sub ? { id: sub.id, name: sub.name } : null;
                  }),
                };
              }),
            })),
        },
        Product: { __resolveReference: (key: { id: string }) => productReference(key) && { id: key.id } },
        Category: {
          __resolveReference: ({ id }: { id: string }) =>
            categoryById(id) ? { id, name: categoryById(id)!.name } : null,
        },
      },
    },
    {
      name: 'subcategories',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        type Product @key(fields: "id") {
          id: ID!
          categories: [Category] @shareable
        }

        type Category @key(fields: "id") {
          id: ID!
          subCategories: [Category] @shareable
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: productReference,
          categories: (product: { categories: string[] }) => product.categories.map(withSubCategories),
        },
        Category: {
          __resolveReference: ({ id }: { id: string }) => withSubCategories(id),
          subCategories: (category: { subCategories: string[] }) =>
            category.subCategories.map(withSubCategories),
        },
      },
    },
  ],
  queries: [
    {
      query: '{ products { id categories { id name } } }',
      expected: {
        data: {
          products: [
            {
              id: 'p1',
              categories: [
                { id: 'c1', name: 'Category 1' },
                { id: 'c2', name: 'Category 2' },
              ],
            },
            {
              id: 'p2',
              categories: [
                { id: 'c3', name: 'Category 3' },
                { id: 'c2', name: 'Category 2' },
              ],
            },
          ],
        },
      },
    },
    {
      query: '{ products { id categories { id name subCategories { id name } } } }',
      expected: {
        data: {
          products: [
            {
              id: 'p1',
              categories: [
                { id: 'c1', name: 'Category 1', subCategories: [{ id: 'c2', name: 'Category 2' }] },
                { id: 'c2', name: 'Category 2', subCategories: [{ id: 'c3', name: 'Category 3' }] },
              ],
            },
            {
              id: 'p2',
              categories: [
                { id: 'c3', name: 'Category 3', subCategories: [{ id: 'c1', name: 'Category 1' }] },
                { id: 'c2', name: 'Category 2', subCategories: [{ id: 'c3', name: 'Category 3' }] },
              ],
            },
          ],
        },
      },
    },
  ],
};
