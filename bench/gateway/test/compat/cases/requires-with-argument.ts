// Modelled on the federation-gateway-audit suite "requires-with-argument": @requires selections
// that pass arguments (price(currency: "USD"), comments(limit: 3), comments(limit: 50) under a
// list of entities), next to the same field selected by the client with another argument,
// through variables and through two fragments that both select it.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const products = [
  { upc: 'p1', name: 'p-name-1', price: 11, weight: 1 },
  { upc: 'p2', name: 'p-name-2', price: 22, weight: 2 },
];
const posts = [{ id: 'p1' }, { id: 'p2' }];
const comments = [
  { id: 'c1', postId: 'p1', authorId: 'a2', body: 'c1-body' },
  { id: 'c2', postId: 'p1', authorId: 'a2', body: 'c2-body' },
  { id: 'c3', postId: 'p1', authorId: 'a2', body: 'c3-body' },
  { id: 'c4', postId: 'p2', authorId: 'a1', body: 'c4-body' },
  { id: 'c5', postId: 'p2', authorId: 'a1', body: 'c5-body' },
  { id: 'c6', postId: 'p2', authorId: 'a1', body: 'c6-body' },
  { id: 'c7', postId: 'p2', authorId: 'a1', body: 'c3-body' },
];
const authors = [
  { id: 'a1', name: 'a1-name' },
  { id: 'a2', name: 'a2-name' },
];

type Key = { id: string };
const commentsOf = ({ id }: Key, { limit }: { limit: number }) =>
  comments.filter((comment) => comment.postId === id).slice(0, limit);
const LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])`;

export const requiresWithArgument: CompatCase = {
  name: 'requires-with-argument',
  source: `${AUDIT}/requires-with-argument`,
  covers: [
    '@requires with field arguments',
    '@requires through lists of entities',
    'the same field with different arguments (client and @requires)',
    'variables and repeated fragments',
  ],
  subgraphs: [
    {
      name: 'shipping',
      typeDefs: `
        ${LINK}

        type Product @key(fields: "upc") {
          upc: String!
          weight: Int @external
          price(currency: String!): Int @external
          shippingEstimate: Int @requires(fields: "price(currency: \\"USD\\") weight")
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: (key: { upc: string; price?: number; weight?: number }) => key,
          shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) => {
            if (price === undefined || weight === undefined)
              throw new Error('price and weight were not provided');
            return price * weight * 10;
          },
        },
      },
    },
    {
      name: 'catalog',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          products: [Product]
        }

        type Product @key(fields: "upc") {
          upc: String!
          name: String
          price(currency: String!): Int
          weight: Int
        }
      `,
      resolvers: {
        Query: { products: () => products },
        Product: {
          __resolveReference: ({ upc }: { upc: string }) =>
            products.find((product) => product.upc === upc) ?? null,
          price: (product: (typeof products)[number], { currency }: { currency: string }) =>
            currency === 'USD' ? product.price : product.price * 2,
        },
      },
    },
    {
      name: 'feed',
      typeDefs: `
        ${LINK}

        type Query {
          feed: [Post]
        }

        type Post @key(fields: "id") {
          id: ID!
          comments(limit: Int!): [Comment] @external
        }

        type Comment @key(fields: "id") {
          id: ID!
          authorId: ID
          body: String!
          sameCommentOnOtherPosts: [Post] @external
          isCommentSpam: Boolean @requires(fields: "sameCommentOnOtherPosts { comments(limit: 50) { id } }")
        }
      `,
      resolvers: {
        Query: { feed: () => posts },
        Post: {
          __resolveReference: ({ id }: Key) => posts.find((post) => post.id === id) ?? null,
          // External here, but answered as the audit's subgraph does: stock @apollo/gateway's plan for
          // Post.author's @requires asks this subgraph for comments(limit: 3) { authorId }.
          comments: commentsOf,
        },
        Comment: {
          __resolveReference: (key: Key & { sameCommentOnOtherPosts?: { comments: Key[] }[] }) => {
            const comment = comments.find((candidate) => candidate.id === key.id);
            return comment ? { ...comment, sameCommentOnOtherPosts: key.sameCommentOnOtherPosts } : null;
          },
          isCommentSpam: ({
            sameCommentOnOtherPosts,
          }: {
            sameCommentOnOtherPosts?: { comments: Key[] }[];
          }) => {
            if (!sameCommentOnOtherPosts) throw new Error('sameCommentOnOtherPosts was not provided');
            return (
              sameCommentOnOtherPosts.length > 0 &&
              sameCommentOnOtherPosts.every((post) => post.comments.length > 0)
            );
          },
        },
      },
    },
    {
      name: 'posts',
      typeDefs: `
        ${LINK}

        type Post @key(fields: "id") {
          id: ID!
          author: Author @requires(fields: "comments(limit: 3) { authorId }")
          comments(limit: Int!): [Comment]
        }

        type Comment @key(fields: "id") {
          id: ID!
          date: String
          authorId: ID @external
          sameCommentOnOtherPosts: [Post]
        }

        type Author {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Post: {
          __resolveReference: (key: Key & { comments?: { authorId: string }[] }) => key,
          author: ({ comments: required }: { comments?: { authorId: string }[] }) => {
            if (!required) throw new Error('comments were not provided');
            if (required.length !== 3) throw new Error(`expected 3 comments, got ${required.length}`);
            return authors.find((author) => author.id === required[2]?.authorId) ?? null;
          },
          comments: (post: Key, args: { limit: number }) => commentsOf(post, args).map(({ id }) => ({ id })),
        },
        Comment: {
          __resolveReference: ({ id }: Key) =>
            comments.some((comment) => comment.id === id) ? { id } : null,
          sameCommentOnOtherPosts: ({ id }: Key) => {
            const comment = comments.find((candidate) => candidate.id === id);
            return comments
              .filter((other) => other.body === comment?.body && other.postId !== comment.postId)
              .map((other) => ({ id: other.postId }));
          },
        },
      },
    },
  ],
  queries: [
    {
      query: '{ products { upc name shippingEstimate } }',
      expected: {
        data: {
          products: [
            { upc: 'p1', name: 'p-name-1', shippingEstimate: 110 },
            { upc: 'p2', name: 'p-name-2', shippingEstimate: 440 },
          ],
        },
      },
    },
    {
      // Ours: the client asks for price in another currency beside the @requires in USD.
      query: '{ products { upc eur: price(currency: "EUR") usd: price(currency: "USD") shippingEstimate } }',
      expected: {
        data: {
          products: [
            { upc: 'p1', eur: 22, usd: 11, shippingEstimate: 110 },
            { upc: 'p2', eur: 44, usd: 22, shippingEstimate: 440 },
          ],
        },
      },
    },
    {
      query: '{ feed { author { id } } }',
      expected: { data: { feed: [{ author: { id: 'a2' } }, { author: { id: 'a1' } }] } },
    },
    {
      query: '{ feed { author { id } comments(limit: 1) { id } } }',
      expected: {
        data: {
          feed: [
            { author: { id: 'a2' }, comments: [{ id: 'c1' }] },
            { author: { id: 'a1' }, comments: [{ id: 'c4' }] },
          ],
        },
      },
    },
    {
      query: '{ feed { comments(limit: 3) { isCommentSpam } } }',
      expected: {
        data: {
          feed: [
            { comments: [{ isCommentSpam: false }, { isCommentSpam: false }, { isCommentSpam: true }] },
            { comments: [{ isCommentSpam: false }, { isCommentSpam: false }, { isCommentSpam: false }] },
          ],
        },
      },
    },
    {
      query: 'query ($limit: Int = 1) { feed { author { id } comments(limit: $limit) { id } } }',
      variables: { limit: 2 },
      expected: {
        data: {
          feed: [
            { author: { id: 'a2' }, comments: [{ id: 'c1' }, { id: 'c2' }] },
            { author: { id: 'a1' }, comments: [{ id: 'c4' }, { id: 'c5' }] },
          ],
        },
      },
    },
    {
      query: `
        query ($limit: Int = 1) {
          feed { author { id } ...Foo ...Bar }
        }

        fragment Foo on Post {
          comments(limit: $limit) { id }
        }

        fragment Bar on Post {
          comments(limit: $limit) { id }
        }
      `,
      expected: {
        data: {
          feed: [
            { author: { id: 'a2' }, comments: [{ id: 'c1' }] },
            { author: { id: 'a1' }, comments: [{ id: 'c4' }] },
          ],
        },
      },
    },
    {
      // Ours: the client's comments(limit: 3) beside the @requires', with authorId from another subgraph.
      query: '{ feed { comments(limit: 3) { id authorId body } } }',
      expected: {
        data: {
          feed: [
            {
              comments: [
                { id: 'c1', authorId: 'a2', body: 'c1-body' },
                { id: 'c2', authorId: 'a2', body: 'c2-body' },
                { id: 'c3', authorId: 'a2', body: 'c3-body' },
              ],
            },
            {
              comments: [
                { id: 'c4', authorId: 'a1', body: 'c4-body' },
                { id: 'c5', authorId: 'a1', body: 'c5-body' },
                { id: 'c6', authorId: 'a1', body: 'c6-body' },
              ],
            },
          ],
        },
      },
    },
  ],
};
