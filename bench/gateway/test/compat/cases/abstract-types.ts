// Modelled on the federation-gateway-audit suite "abstract-types": an interface (Product) whose
// implementations (Book, Magazine) get fields from six subgraphs, a second interface (Similar),
// a union (PublisherType) merged from two subgraphs' partial definitions, @requires on the
// implementations, fragments on interfaces and unions with @include/@skip, aliases on fields of
// different types under the same parent, and entities reached through a list of lists.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const users = [
  { id: 'u1', email: 'u1@example.com' },
  { id: 'u2', email: 'u2@example.com' },
];
const agencies = [{ id: 'a1', companyName: 'Agency 1', email: { address: 'a1@example.com' } }];
type Publisher = { __typename: 'Self'; email: string } | { __typename: 'Agency'; id: string };
const products: {
  __typename: 'Book' | 'Magazine';
  id: string;
  sku: string;
  title: string;
  createdBy: string;
  dimensions: { size: string; weight: number };
  publisher: Publisher;
}[] = [
  {
    __typename: 'Book',
    id: 'p1',
    sku: 'sku-1',
    title: 'Book 1',
    createdBy: 'u1',
    dimensions: { size: 'small', weight: 0.5 },
    publisher: { __typename: 'Self', email: 'u1@example.com' },
  },
  {
    __typename: 'Book',
    id: 'p3',
    sku: 'sku-3',
    title: 'Book 2',
    createdBy: 'u2',
    dimensions: { size: 'small', weight: 0.6 },
    publisher: { __typename: 'Agency', id: 'a1' },
  },
  {
    __typename: 'Magazine',
    id: 'p2',
    sku: 'sku-2',
    title: 'Magazine 1',
    createdBy: 'u1',
    dimensions: { size: 'small', weight: 0.2 },
    publisher: { __typename: 'Agency', id: 'a1' },
  },
  {
    __typename: 'Magazine',
    id: 'p4',
    sku: 'sku-4',
    title: 'Magazine 2',
    createdBy: 'u2',
    dimensions: { size: 'small', weight: 0.3 },
    publisher: { __typename: 'Self', email: 'u1@example.com' },
  },
];
const reviews = [
  { id: 1, body: 'review 1', productId: 'p1' },
  { id: 2, body: 'review 2', productId: 'p1' },
  { id: 3, body: 'review 3', productId: 'p2' },
];

type Key = { id: string };
const productOf = ({ id }: Key) => products.find((product) => product.id === id) ?? null;
const reference = ({ id }: Key) => {
  const product = productOf({ id });
  return product ? { __typename: product.__typename, id } : null;
};
const reviewsOf = ({ id }: Key) =>
  reviews
    .filter((review) => review.productId === id)
    .map((review) => ({ ...review, product: reference({ id: review.productId }) }));

const LINK = (imports: string) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])`;

/** What the reviews of a product say about the products they review, through a fragment on the union. */
const publisherQuery = (fragment: string) => `
  {
    products {
      id
      reviews {
        product {
          id
          ... on Magazine { publisherType { ...Publisher } }
          ... on Book { publisherType { ...Publisher } }
        }
      }
    }
  }

  fragment Publisher on PublisherType {
    ${fragment}
  }
`;
const selfP1 = (publisherType: unknown) => ({ product: { id: 'p1', publisherType } });
const publisherExpected = (self: unknown, agency: unknown) => ({
  data: {
    products: [
      { id: 'p1', reviews: [selfP1(self), selfP1(self)] },
      { id: 'p3', reviews: [] },
      { id: 'p2', reviews: [{ product: { id: 'p2', publisherType: agency } }] },
      { id: 'p4', reviews: [] },
    ],
  },
});

/** The reviewed products with a Book fragment under @include/@skip. */
const reviewedQuery = (bookFragment: string) => `
  query ($title: Boolean = true) {
    products {
      id
      reviews {
        product {
          id
          ${bookFragment}
          ... on Magazine { sku }
        }
      }
    }
  }
`;
const reviewedExpected = (book: Record<string, unknown>) => ({
  data: {
    products: [
      { id: 'p1', reviews: [{ product: { id: 'p1', ...book } }, { product: { id: 'p1', ...book } }] },
      { id: 'p3', reviews: [] },
      { id: 'p2', reviews: [{ product: { id: 'p2', sku: 'sku-2' } }] },
      { id: 'p4', reviews: [] },
    ],
  },
});

export const abstractTypes: CompatCase = {
  name: 'abstract-types',
  source: `${AUDIT}/abstract-types`,
  covers: [
    'interfaces implemented by entities across subgraphs',
    'unions merged from partial definitions',
    '@requires on interface implementations',
    'fragments on interfaces and unions',
    '@include/@skip on inline fragments',
    'aliases of differently typed fields',
  ],
  subgraphs: [
    {
      name: 'products',
      typeDefs: `
        ${LINK('"@key", "@shareable"')}

        type Query {
          products: [Product]
          similar(id: ID!): [Product]
        }

        interface Product {
          id: ID!
          sku: String
          dimensions: ProductDimension
          createdBy: User
        }

        interface Similar {
          similar: [Product]
        }

        type ProductDimension @shareable {
          size: String
          weight: Float
        }

        type Book implements Product & Similar @key(fields: "id") {
          id: ID!
          sku: String
          dimensions: ProductDimension
          createdBy: User
          similar: [Product]
        }

        type Magazine implements Product & Similar @key(fields: "id") {
          id: ID!
          sku: String
          dimensions: ProductDimension
          createdBy: User
          similar: [Product]
        }

        type User @key(fields: "id") {
          id: ID!
          totalProductsCreated: Int
        }
      `,
      resolvers: (() => {
        const similar = ({ id }: Key) => {
          const product = productOf({ id });
          return products.filter((other) => other.__typename === product?.__typename && other.id !== id);
        };
        const implementation = {
          __resolveReference: productOf,
          createdBy: (product: (typeof products)[number]) => ({ id: product.createdBy }),
          similar,
        };
        return {
          Query: {
            products: () => products,
            similar: (_: unknown, { id }: Key) => similar({ id }),
          },
          Book: implementation,
          Magazine: implementation,
          User: {
            __resolveReference: ({ id }: Key) => ({ id }),
            totalProductsCreated: ({ id }: Key) =>
              products.filter((product) => product.createdBy === id).length,
          },
        };
      })(),
    },
    {
      name: 'inventory',
      typeDefs: `
        ${LINK('"@key", "@shareable", "@external", "@requires"')}

        interface Product {
          id: ID!
          delivery(zip: String): DeliveryEstimates
        }

        type ProductDimension @shareable {
          size: String
          weight: Float
        }

        type DeliveryEstimates {
          estimatedDelivery: String
          fastestDelivery: String
        }

        type Book implements Product @key(fields: "id") {
          id: ID!
          dimensions: ProductDimension @external
          delivery(zip: String): DeliveryEstimates @requires(fields: "dimensions { size weight }")
        }

        type Magazine implements Product @key(fields: "id") {
          id: ID!
          dimensions: ProductDimension @external
          delivery(zip: String): DeliveryEstimates @requires(fields: "dimensions { size weight }")
        }
      `,
      resolvers: (() => {
        const implementation = {
          __resolveReference: (key: Key & { dimensions?: { size: string; weight: number } }) => key,
          delivery: ({ dimensions }: { dimensions?: { size: string; weight: number } }) => {
            if (!dimensions) throw new Error('dimensions were not provided');
            return dimensions.size === 'small' && dimensions.weight < 1
              ? { estimatedDelivery: '1 day', fastestDelivery: 'same day' }
              : { estimatedDelivery: '5 days', fastestDelivery: '2 days' };
          },
        };
        return { Book: implementation, Magazine: implementation };
      })(),
    },
    {
      name: 'users',
      typeDefs: `
        ${LINK('"@key"')}

        type User @key(fields: "id") {
          id: ID!
          email: String
        }
      `,
      resolvers: {
        User: { __resolveReference: ({ id }: Key) => users.find((user) => user.id === id) ?? null },
      },
    },
    {
      name: 'reviews',
      typeDefs: `
        ${LINK('"@key"')}

        interface Product {
          id: ID!
          reviews: [Review]
        }

        type Review {
          id: Int!
          body: String
          product: Product
        }

        type Book implements Product @key(fields: "id") {
          id: ID!
          reviews: [Review]
          reviewsCount: Int
        }

        type Magazine implements Product @key(fields: "id") {
          id: ID!
          reviews: [Review]
        }
      `,
      resolvers: {
        Book: {
          __resolveReference: reference,
          reviews: reviewsOf,
          reviewsCount: (key: Key) => reviewsOf(key).length,
        },
        Magazine: { __resolveReference: reference, reviews: reviewsOf },
      },
    },
    ...(['Book', 'Magazine'] as const).map((type) => ({
      name: `${type.toLowerCase()}s`,
      typeDefs: `
        ${LINK('"@key", "@shareable"')}

        type ${type} @key(fields: "id") {
          id: ID!
          title: String
          publisherType: PublisherType
        }

        union PublisherType = Agency | Self

        type Agency @key(fields: "id", resolvable: false) {
          id: ID!
        }

        type Self @shareable {
          email: String
        }
      `,
      resolvers: {
        [type]: {
          __resolveReference: (key: Key) => {
            const product = productOf(key);
            return product?.__typename === type ? product : null;
          },
          publisherType: (product: (typeof products)[number]) => product.publisher,
        },
      },
    })),
    {
      name: 'agency',
      typeDefs: `
        ${LINK('"@key"')}

        type Agency @key(fields: "id") {
          id: ID!
          companyName: String
          email: Email
        }

        type Email {
          address: String
        }

        type Group @key(fields: "id") {
          id: ID!
          name: String
          email: String
        }

        union PublisherType = Agency | Group
      `,
      resolvers: {
        Agency: { __resolveReference: ({ id }: Key) => agencies.find((agency) => agency.id === id) ?? null },
        Group: {
          __resolveReference: ({ id }: Key) => ({ id, name: `Group ${id}`, email: `group${id}@example.com` }),
        },
      },
    },
  ],
  queries: [
    {
      query: '{ products { id dimensions { size weight } } }',
      expected: {
        data: {
          products: [
            { id: 'p1', dimensions: { size: 'small', weight: 0.5 } },
            { id: 'p3', dimensions: { size: 'small', weight: 0.6 } },
            { id: 'p2', dimensions: { size: 'small', weight: 0.2 } },
            { id: 'p4', dimensions: { size: 'small', weight: 0.3 } },
          ],
        },
      },
    },
    {
      query: `
        {
          book: similar(id: "p1") { id sku delivery(zip: "1234") { fastestDelivery estimatedDelivery } }
          magazine: similar(id: "p2") { id sku delivery(zip: "1234") { fastestDelivery estimatedDelivery } }
        }
      `,
      expected: {
        data: {
          book: [
            { id: 'p3', sku: 'sku-3', delivery: { fastestDelivery: 'same day', estimatedDelivery: '1 day' } },
          ],
          magazine: [
            { id: 'p4', sku: 'sku-4', delivery: { fastestDelivery: 'same day', estimatedDelivery: '1 day' } },
          ],
        },
      },
    },
    {
      query: `
        {
          products {
            sku
            ... on Product { sku }
            ... on Book { sku }
            ... on Magazine { sku }
            ... on Similar { __typename type: __typename }
          }
        }
      `,
      expected: {
        data: {
          products: [
            { sku: 'sku-1', __typename: 'Book', type: 'Book' },
            { sku: 'sku-3', __typename: 'Book', type: 'Book' },
            { sku: 'sku-2', __typename: 'Magazine', type: 'Magazine' },
            { sku: 'sku-4', __typename: 'Magazine', type: 'Magazine' },
          ],
        },
      },
    },
    {
      query: '{ products { author: createdBy { email totalProductsCreated } ... on Magazine { title } } }',
      expected: {
        data: {
          products: [
            { author: { email: 'u1@example.com', totalProductsCreated: 2 } },
            { author: { email: 'u2@example.com', totalProductsCreated: 2 } },
            { author: { email: 'u1@example.com', totalProductsCreated: 2 }, title: 'Magazine 1' },
            { author: { email: 'u2@example.com', totalProductsCreated: 2 }, title: 'Magazine 2' },
          ],
        },
      },
    },
    {
      query: `
        {
          products {
            id
            reviews { product { sku ... on Magazine { title } ... on Book { reviewsCount } } }
          }
        }
      `,
      expected: {
        data: {
          products: [
            {
              id: 'p1',
              reviews: [
                { product: { sku: 'sku-1', reviewsCount: 2 } },
                { product: { sku: 'sku-1', reviewsCount: 2 } },
              ],
            },
            { id: 'p3', reviews: [] },
            { id: 'p2', reviews: [{ product: { sku: 'sku-2', title: 'Magazine 1' } }] },
            { id: 'p4', reviews: [] },
          ],
        },
      },
    },
    {
      query: reviewedQuery('... on Book @include(if: $title) { title }'),
      expected: reviewedExpected({ title: 'Book 1' }),
    },
    {
      query: reviewedQuery('... on Book @include(if: $title) { title }'),
      variables: { title: false },
      expected: reviewedExpected({}),
    },
    {
      query: reviewedQuery('... on Book @skip(if: $title) { title } ... on Book { sku }'),
      expected: reviewedExpected({ sku: 'sku-1' }),
    },
    {
      query: reviewedQuery('... on Book @skip(if: $title) { title } ... on Book { sku }'),
      variables: { title: false },
      expected: reviewedExpected({ title: 'Book 1', sku: 'sku-1' }),
    },
    {
      query: reviewedQuery(
        '... on Book @include(if: $title) { title ... on Book @skip(if: $title) { sku } }',
      ),
      expected: reviewedExpected({ title: 'Book 1' }),
    },
    {
      query: publisherQuery('... on Agency { id companyName } ... on Self { email } ... on Group { name }'),
      expected: publisherExpected({ email: 'u1@example.com' }, { id: 'a1', companyName: 'Agency 1' }),
    },
    {
      query: publisherQuery(
        '... on Agency { emailObj: email { address } } ... on Self { emailStr: email } ... on Group { emailStr: email }',
      ),
      expected: publisherExpected(
        { emailStr: 'u1@example.com' },
        { emailObj: { address: 'a1@example.com' } },
      ),
    },
  ],
};
