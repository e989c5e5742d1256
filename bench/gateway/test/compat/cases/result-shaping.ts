// Ours: the response-assembly paths of a gateway — aliases (of __typename, and of one field
// with different arguments), one field selected twice with different sub-selections, named and
// inline fragments on an interface and a union, lists of lists of entities, enums (and a value
// outside the API schema's enum), a custom scalar with object values, Int/Float/ID/Boolean,
// @skip/@include with variables and literals, a non-null field that comes back null from an
// entity call (null bubbling in the gateway), the same few entities repeated many times in a
// list with a field from another subgraph (and that subgraph failing for one of them), root
// __typename, and a document of several operations run by operationName.
import { GraphQLError } from 'graphql';
import type { CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  {
    __typename: 'Product',
    id: 'p1',
    name: 'Kettle',
    price: 25.5,
    stock: 12,
    available: true,
    status: 'ACTIVE',
    attributes: {
      color: 'red',
      dims: { w: 1.5, h: 2 },
      labels: ['steel', 'electric'],
      recycled: false,
      note: null,
    },
    tags: ['kitchen', 'electric'],
    related: ['p2', 'p3'],
    sku: 'SKU-1',
  },
  {
    __typename: 'Product',
    id: 'p2',
    name: 'Toaster',
    price: 40,
    stock: 0,
    available: false,
    status: 'DISCONTINUED',
    attributes: { color: 'black', slots: 4 },
    tags: [],
    related: ['p1'],
    sku: 'SKU-2',
  },
  {
    __typename: 'Product',
    id: 'p3',
    name: 'Mug',
    price: 7.25,
    stock: 300,
    available: true,
    // Not a value of the API schema's Status (it is @inaccessible there).
    status: 'RECALLED',
    attributes: [1, 'two', { three: 3 }],
    tags: ['kitchen'],
    related: [],
    // Null for a non-null field.
    sku: null,
  },
];
const secret = { __typename: 'Secret', id: 's1', name: 'hidden' };
const bundles = [{ __typename: 'Bundle', id: 'b1', name: 'Breakfast set', products: ['p1', 'p2'] }];
/** Twenty reviews of three products. */
const reviews = Array.from({ length: 20 }, (_, index) => ({
  id: String(index + 1),
  stars: (index % 5) + 1,
  productId: `p${(index % 3) + 1}`,
}));

type Key = { id: string };
const productOf = ({ id }: Key) => products.find((product) => product.id === id) ?? null;
const reviewsOf = ({ id }: Key) =>
  reviews.filter((review) => review.productId === id).map((review) => ({ ...review, product: { id } }));

const reviewedProducts = (first: number, product: (id: string) => unknown) =>
  reviews.slice(0, first).map((review) => ({ id: review.id, product: product(review.productId) }));

export const resultShaping: CompatCase = {
  name: 'result-shaping',
  source: 'ours',
  covers: [
    'aliases (of __typename, of one field with different arguments)',
    'field merging',
    'named and inline fragments on interfaces and unions',
    'lists of lists of entities',
    'enums and values outside the API schema',
    'custom scalars with object values',
    '@skip/@include',
    'null bubbling after entity calls',
    'repeated entities',
    'entity errors',
    'root __typename and operationName',
  ],
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])

        scalar JSON

        enum Status {
          ACTIVE
          DISCONTINUED
          RECALLED @inaccessible
        }

        interface Item {
          id: ID!
          name: String!
        }

        type Product implements Item @key(fields: "id") {
          id: ID!
          name: String!
          price(currency: String! = "USD"): Float!
          stock: Int!
          available: Boolean!
          status: Status
          attributes: JSON
          tags: [String!]!
          related: [Product!]!
          sku: String!
          warning: String
          notice: String
          caution: String
        }

        type Bundle implements Item {
          id: ID!
          name: String!
          products: [Product!]!
        }

        union SearchResult = Product | Bundle | Secret

        "Not in the API schema: a subgraph answering one gives the gateway a type it cannot show."
        type Secret implements Item @inaccessible {
          id: ID!
          name: String!
        }

        type Query {
          product(id: ID!): Product
          products: [Product!]!
          items: [Item!]!
          search: [SearchResult!]!
          feed: [SearchResult!]!
          mystery: [SearchResult]
          mysteryItems: [Item]
          shelves: [[Product!]]!
        }
      `,
      resolvers: {
        Query: {
          product: (_: unknown, key: Key) => productOf(key),
          products: () => products,
          items: () => [...products, ...bundles],
          search: () => [bundles[0], products[2], products[0]],
          // Bundles and products mixed, p3 twice: entity fetches for the products only.
          feed: () => [bundles[0], products[2], products[0], products[2], bundles[0], products[1]],
          mystery: () => [products[0], secret, bundles[0]],
          mysteryItems: () => [secret, products[1]],
          shelves: () => [[products[0], products[1]], [], null, [products[2], products[0]]],
        },
        Product: {
          __resolveReference: productOf,
          price: (product: (typeof products)[number], { currency }: { currency: string }) =>
            currency === 'EUR' ? Math.round(product.price * 92) / 100 : product.price,
          related: (product: (typeof products)[number]) => product.related.map((id) => productOf({ id })),
          warning: ({ id }: Key) => {
            if (id === 'p2') throw new Error(`no warning for ${id}`);
            return id === 'p3' ? 'fragile' : null;
          },
          // Synchronous, failing for p2 and p3: the subgraph reports its errors in representation order.
          caution: ({ id }: Key) => {
            if (id !== 'p1') throw new Error(`no caution for ${id}`);
            return 'handle with care';
          },
          // Asynchronous, failing for p2 late and for p3 at once: the subgraph reports its errors
          // in the order they happen, not in the order of the representations.
          notice: async ({ id }: Key) => {
            if (id === 'p3') throw new Error(`no notice for ${id} (at once)`);
            await new Promise((resolve) => setTimeout(resolve, id === 'p2' ? 30 : 10));
            if (id === 'p2') throw new Error(`no notice for ${id} (late)`);
            return `notice for ${id}`;
          },
        },
        Bundle: {
          products: (bundle: (typeof bundles)[number]) => bundle.products.map((id) => productOf({ id })),
        },
      },
    },
    {
      name: 'reviews',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          reviews(first: Int = 20): [Review]!
        }

        type Review {
          id: ID!
          stars: Int!
          product: Product!
        }

        type Product @key(fields: "id") {
          id: ID!
          reviews: [Review!]!
          reviewCount: Int!
          rating: Float
        }
      `,
      resolvers: {
        Query: {
          reviews: (_: unknown, { first }: { first: number }) =>
            reviews.slice(0, first).map((review) => ({ ...review, product: { id: review.productId } })),
        },
        Product: {
          __resolveReference: ({ id }: Key) => ({ id }),
          reviews: reviewsOf,
          reviewCount: (key: Key) => reviewsOf(key).length,
          rating: (key: Key) => {
            if (key.id === 'p3') {
              throw new GraphQLError('ratings are unavailable for p3', {
                extensions: { code: 'NOT_FOUND', productId: key.id },
              });
            }
            const own = reviewsOf(key);
            return own.reduce((sum, review) => sum + review.stars, 0) / own.length;
          },
        },
      },
    },
  ],
  queries: [
    {
      // Aliases (also of __typename, and of price with two arguments), scalars, a custom scalar.
      query: `
        {
          root: __typename
          __typename
          product(id: "p1") {
            __typename
            kind: __typename
            id
            name
            usd: price
            eur: price(currency: "EUR")
            stock
            available
            status
            attributes
            tags
          }
          other: product(id: "p3") { id label: name attributes price(currency: "USD") }
          missing: product(id: "p9") { id }
        }
      `,
      expected: {
        data: {
          root: 'Query',
          __typename: 'Query',
          product: {
            __typename: 'Product',
            kind: 'Product',
            id: 'p1',
            name: 'Kettle',
            usd: 25.5,
            eur: 23.46,
            stock: 12,
            available: true,
            status: 'ACTIVE',
            attributes: products[0]!.attributes,
            tags: ['kitchen', 'electric'],
          },
          other: { id: 'p3', label: 'Mug', attributes: [1, 'two', { three: 3 }], price: 7.25 },
          missing: null,
        },
      },
    },
    {
      // The same field twice with different sub-selections (merged), at two depths.
      query: `
        {
          product(id: "p1") {
            related { id }
            id
            related { name reviewCount }
            related { id stock }
          }
          product(id: "p1") { related { price } name }
        }
      `,
      expected: {
        data: {
          product: {
            related: [
              { id: 'p2', name: 'Toaster', reviewCount: 7, stock: 0, price: 40 },
              { id: 'p3', name: 'Mug', reviewCount: 6, stock: 300, price: 7.25 },
            ],
            id: 'p1',
            name: 'Kettle',
          },
        },
      },
    },
    {
      // Named and inline fragments on an interface and on a union, with entity fields inside.
      query: `
        {
          items {
            __typename
            ...ItemFields
            ... on Product { price reviewCount }
            ... on Bundle { products { id ...ProductBits } }
          }
          search {
            ... on Item { id }
            ...SearchBits
            ... on Product { reviewCount }
          }
        }

        fragment ItemFields on Item { id name }

        fragment ProductBits on Product { name tags }

        fragment SearchBits on SearchResult {
          __typename
          ... on Bundle { name }
          ... on Product { t: __typename available }
        }
      `,
      expected: {
        data: {
          items: [
            { __typename: 'Product', id: 'p1', name: 'Kettle', price: 25.5, reviewCount: 7 },
            { __typename: 'Product', id: 'p2', name: 'Toaster', price: 40, reviewCount: 7 },
            { __typename: 'Product', id: 'p3', name: 'Mug', price: 7.25, reviewCount: 6 },
            {
              __typename: 'Bundle',
              id: 'b1',
              name: 'Breakfast set',
              products: [
                { id: 'p1', name: 'Kettle', tags: ['kitchen', 'electric'] },
                { id: 'p2', name: 'Toaster', tags: [] },
              ],
            },
          ],
          search: [
            { id: 'b1', __typename: 'Bundle', name: 'Breakfast set' },
            { id: 'p3', __typename: 'Product', t: 'Product', available: true, reviewCount: 6 },
            { id: 'p1', __typename: 'Product', t: 'Product', available: true, reviewCount: 7 },
          ],
        },
      },
    },
    {
      // Lists of lists of entities (an empty and a null inner list), entities under them.
      query: '{ shelves { id name reviewCount reviews { stars product { name } } } }',
      expected: {
        data: {
          shelves: [
            [
              {
                id: 'p1',
                name: 'Kettle',
                reviewCount: 7,
                reviews: reviewsOf({ id: 'p1' }).map(({ stars }) => ({ stars, product: { name: 'Kettle' } })),
              },
              {
                id: 'p2',
                name: 'Toaster',
                reviewCount: 7,
                reviews: reviewsOf({ id: 'p2' }).map(({ stars }) => ({
                  stars,
                  product: { name: 'Toaster' },
                })),
              },
            ],
            [],
            null,
            [
              {
                id: 'p3',
                name: 'Mug',
                reviewCount: 6,
                reviews: reviewsOf({ id: 'p3' }).map(({ stars }) => ({ stars, product: { name: 'Mug' } })),
              },
              {
                id: 'p1',
                name: 'Kettle',
                reviewCount: 7,
                reviews: reviewsOf({ id: 'p1' }).map(({ stars }) => ({ stars, product: { name: 'Kettle' } })),
              },
            ],
          ],
        },
      },
    },
    {
      // An enum value the API schema does not have (p3's RECALLED): null there, with an error.
      query: '{ products { id status } }',
      expected: {
        data: {
          products: [
            { id: 'p1', status: 'ACTIVE' },
            { id: 'p2', status: 'DISCONTINUED' },
            { id: 'p3', status: null },
          ],
        },
      },
    },
    {
      // @skip/@include with variables (given and defaulted) and literals, on fields of two subgraphs.
      query: `
        query ($withPrice: Boolean!, $noTags: Boolean = true) {
          product(id: "p2") {
            id
            price @include(if: $withPrice)
            tags @skip(if: $noTags)
            stock @include(if: false)
            available @skip(if: false)
            reviewCount @include(if: $withPrice)
            reviews @skip(if: $withPrice) { id }
          }
        }
      `,
      variables: { withPrice: true },
      expected: { data: { product: { id: 'p2', price: 40, available: false, reviewCount: 7 } } },
    },
    {
      // A non-null field null from the entity call (p3's sku): its Review is nulled.
      query: '{ reviews(first: 6) { id stars product { id sku } } }',
      expected: {
        data: {
          reviews: reviewedProducts(6, (id) => ({ id, sku: id === 'p3' ? null : `SKU-${id.slice(1)}` })).map(
            (review, index) =>
              review.product && (review.product as { sku: unknown }).sku === null
                ? null
                : { ...review, stars: (index % 5) + 1 },
          ),
        },
      },
    },
    {
      // Twenty reviews of three products: the same entities many times, fields from both subgraphs.
      // The reviews subgraph fails p3's rating (a client-facing code, passed through by ours) at
      // each place p3 appears.
      query: '{ reviews { id stars product { id name price rating } } }',
      expected: {
        data: {
          reviews: reviews.map(({ id, stars, productId }) => {
            const { name, price } = productOf({ id: productId })!;
            const own = reviewsOf({ id: productId });
            const rating =
              productId === 'p3' ? null : own.reduce((sum, review) => sum + review.stars, 0) / own.length;
            return { id, stars, product: { id: productId, name, price, rating } };
          }),
        },
      },
    },
    {
      // The same, with the catalog failing for one of the repeated products (p2's warning).
      query: '{ reviews { id product { name warning } } }',
      expected: {
        data: {
          reviews: reviewedProducts(20, (id) => ({
            name: productOf({ id })!.name,
            warning: id === 'p3' ? 'fragile' : null,
          })).map(({ id, product }) => ({ id, product })),
        },
      },
    },
    {
      // Several operations in one document, one chosen by operationName.
      query: `
        query First { __typename product(id: "p1") { id } }
        query Second { t: __typename reviews(first: 2) { id product { name } } }
        query Third($id: ID!) { product(id: $id) { name } }
      `,
      operationName: 'Second',
      expected: {
        data: {
          t: 'Query',
          reviews: [
            { id: '1', product: { name: 'Kettle' } },
            { id: '2', product: { name: 'Toaster' } },
          ],
        },
      },
    },
    {
      query: `
        query First { __typename product(id: "p1") { id } }
        query Third($id: ID!) { product(id: $id) { name } }
      `,
      operationName: 'Third',
      variables: { id: 'p3' },
      expected: { data: { product: { name: 'Mug' } } },
    },
    {
      // Response names that are also Object.prototype's (and __proto__): plain values, in place.
      query: `
        {
          product(id: "p1") {
            constructor: name
            toString: id
            valueOf: __typename
            hasOwnProperty: price
            isPrototypeOf: reviewCount
            propertyIsEnumerable: related { constructor: id }
          }
        }
      `,
      expected: {
        data: {
          product: {
            constructor: 'Kettle',
            toString: 'p1',
            valueOf: 'Product',
            hasOwnProperty: 25.5,
            isPrototypeOf: 7,
            propertyIsEnumerable: [{ constructor: 'p2' }, { constructor: 'p3' }],
          },
        },
      },
    },
    {
      query: '{ product(id: "p2") { __proto__: name id } }',
    },
    {
      // Errors that the subgraph reports out of representation order (p3 at once, p2 late): stock
      // lists them in the subgraph's order (reviews 2, 5, 8, then 1, 4, 7).
      query: '{ reviews(first: 9) { id product { notice } } }',
      expected: {
        data: {
          reviews: reviewedProducts(9, (id) => ({ notice: id === 'p1' ? 'notice for p1' : null })),
        },
      },
    },
    {
      // Synchronous errors for two products, their reviews interleaved: stock lists them in
      // review order (1, 2, 4, 5, 7, 8), not grouped by product.
      query: '{ reviews(first: 9) { id product { caution } } }',
      expected: {
        data: {
          reviews: reviewedProducts(9, (id) => ({ caution: id === 'p1' ? 'handle with care' : null })),
        },
      },
    },
    {
      // An entity field failing in a list that mixes entities of the fetch's type with others.
      query: '{ feed { __typename ... on Product { id rating } ... on Bundle { id } } }',
      expected: {
        data: {
          feed: [
            { __typename: 'Bundle', id: 'b1' },
            { __typename: 'Product', id: 'p3', rating: null },
            { __typename: 'Product', id: 'p1', rating: 20 / 7 },
            { __typename: 'Product', id: 'p3', rating: null },
            { __typename: 'Bundle', id: 'b1' },
            { __typename: 'Product', id: 'p2', rating: 22 / 7 },
          ],
        },
      },
    },
    {
      // The same through lists of lists, and with the entity failing in the other subgraph too.
      query: '{ shelves { id rating notice } }',
      expected: {
        data: {
          shelves: [
            [
              { id: 'p1', rating: 20 / 7, notice: 'notice for p1' },
              { id: 'p2', rating: 22 / 7, notice: null },
            ],
            [],
            null,
            [
              { id: 'p3', rating: null, notice: null },
              { id: 'p1', rating: 20 / 7, notice: 'notice for p1' },
            ],
          ],
        },
      },
    },
    {
      // A variable used in an entity fetch, the same entities at two paths of one response, no
      // entities at all in a third.
      query: `
        query ($currency: String!) {
          reviews(first: 3) { product { name price(currency: $currency) } }
          product(id: "p1") { reviewCount reviews { id product { name usd: price } } }
          none: reviews(first: 0) { id product { name } }
        }
      `,
      variables: { currency: 'EUR' },
      expected: {
        data: {
          reviews: [
            { product: { name: 'Kettle', price: 23.46 } },
            { product: { name: 'Toaster', price: 36.8 } },
            { product: { name: 'Mug', price: 6.67 } },
          ],
          product: {
            reviewCount: 7,
            reviews: reviewsOf({ id: 'p1' }).map(({ id }) => ({
              id,
              product: { name: 'Kettle', usd: 25.5 },
            })),
          },
          none: [],
        },
      },
    },
    {
      // @include/@skip on a named fragment spread and on inline fragments inside entities, with a
      // defaulted variable; the same field under conditions that disagree.
      query: `
        query ($yes: Boolean = true, $no: Boolean = false) {
          reviews(first: 3) {
            id @skip(if: $yes)
            id @include(if: $yes)
            product {
              ...Named @include(if: $yes)
              ... @skip(if: $yes) { stock }
              ... on Product @include(if: $no) { tags }
              ... on Item @skip(if: $no) { itemName: name }
              name @skip(if: $yes)
            }
          }
        }

        fragment Named on Product { name reviewCount }
      `,
      expected: {
        data: {
          reviews: reviewedProducts(3, (id) => {
            const { name } = productOf({ id })!;
            return { name, reviewCount: id === 'p3' ? 6 : 7, itemName: name };
          }),
        },
      },
    },
    {
      // An error deep inside an entity's answer (a list in it), for entities sent once and used many times.
      query: '{ reviews(first: 4) { id product { id related { id warning } } } }',
      expected: {
        data: {
          reviews: reviewedProducts(4, (id) => ({
            id,
            related: productOf({ id })!.related.map((related) => ({
              id: related,
              warning: related === 'p3' ? 'fragile' : null,
            })),
          })),
        },
      },
    },
    {
      // A union member and an interface implementation that are @inaccessible, answered by the subgraph.
      query: `
        {
          mystery { __typename ... on Product { id } ... on Bundle { name } }
          mysteryItems { id name }
        }
      `,
      expected: {
        data: {
          mystery: [
            { __typename: 'Product', id: 'p1' },
            null,
            { __typename: 'Bundle', name: 'Breakfast set' },
          ],
          mysteryItems: [null, { id: 'p2', name: 'Toaster' }],
        },
      },
    },
    {
      query: '{ mystery { ... on Item { id label: name } } }',
      expected: {
        data: { mystery: [{ id: 'p1', label: 'Kettle' }, null, { id: 'b1', label: 'Breakfast set' }] },
      },
    },
    {
      // Introspection beside data: the API schema's enum (without RECALLED).
      query: `
        {
          __schema { queryType { name } mutationType { name } }
          __type(name: "Status") { name kind enumValues { name } }
          product(id: "p1") { status }
        }
      `,
      expected: {
        data: {
          __schema: { queryType: { name: 'Query' }, mutationType: null },
          __type: {
            name: 'Status',
            kind: 'ENUM',
            enumValues: [{ name: 'ACTIVE' }, { name: 'DISCONTINUED' }],
          },
          product: { status: 'ACTIVE' },
        },
      },
    },
  ],
};
