import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { reviews, users, type Review } from './data';

export const name = 'reviews';

export const typeDefs = /* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

  type Review @key(fields: "id") {
    id: ID!
    body: String
    product: Product
    author: User @provides(fields: "username")
  }

  type User @key(fields: "id") {
    id: ID!
    username: String @external
    reviews: [Review]
  }

  type Product @key(fields: "upc") {
    upc: String!
    reviews: [Review]
  }
`;

const byId = new Map(reviews.map((review) => [review.id, review]));
const usernames = new Map(users.map((user) => [user.id, user.username]));
const group = (key: (review: Review) => string) => {
  const groups = new Map<string, Review[]>();
  for (const review of reviews) groups.set(key(review), [...(groups.get(key(review)) ?? []), review]);
  return groups;
};
const byAuthor = group((review) => review.authorId);
const byProduct = group((review) => review.productUpc);

export const resolvers: GraphQLResolverMap<unknown> = {
  Review: {
    __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
    product: (review: Review) => ({ upc: review.productUpc }),
    // @provides: this subgraph answers the author's username itself, saving a hop to accounts.
    author: (review: Review) => ({ id: review.authorId, username: usernames.get(review.authorId) }),
  },
  User: {
    reviews: ({ id }: { id: string }) => byAuthor.get(id) ?? [],
  },
  Product: {
    reviews: ({ upc }: { upc: string }) => byProduct.get(upc) ?? [],
  },
};
