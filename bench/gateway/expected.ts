// The expected response of each bench query, computed from the bench data with plain code, so
// that the oracle does not depend on any gateway. `node --import tsx bench/gateway/expected.ts`
// rewrites ./expected/*.json; the bench-supergraph test checks the files are current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  inStock,
  products,
  reviews,
  shippingEstimate,
  TOP_PRODUCTS_DEFAULT,
  users,
  type Review,
} from './subgraphs/data';
import { benchQueries } from './queries';

const userById = new Map(users.map((user) => [user.id, user]));
const productByUpc = new Map(products.map((product) => [product.upc, product]));
const reviewsOfUser = (id: string) => reviews.filter((review) => review.authorId === id);
const reviewsOfProduct = (upc: string) => reviews.filter((review) => review.productUpc === upc);

// Field order follows each query's selection order, as GraphQL execution does.
const userFields = (id: string) => {
  const user = userById.get(id)!;
  return { id: user.id, username: user.username, name: user.name };
};
const reviewFields = (review: Review) => ({ id: review.id, body: review.body });
const productFields = (upc: string) => {
  const product = productByUpc.get(upc)!;
  return {
    inStock: inStock[upc]!,
    name: product.name,
    price: product.price,
    shippingEstimate: shippingEstimate(product.price, product.weight),
    upc: product.upc,
    weight: product.weight,
  };
};
const topProducts = products.slice(0, TOP_PRODUCTS_DEFAULT);

const authorWithReviews = (id: string) => ({
  ...userFields(id),
  reviews: reviewsOfUser(id).map((review) => ({
    ...reviewFields(review),
    product: productFields(review.productUpc),
  })),
});

export const expectedResponses: Record<string, unknown> = {
  'four-subgraph': {
    data: {
      topProducts: topProducts.map((product) => ({
        upc: product.upc,
        name: product.name,
        price: product.price,
        weight: product.weight,
        inStock: inStock[product.upc]!,
        shippingEstimate: shippingEstimate(product.price, product.weight),
        reviews: reviewsOfProduct(product.upc).map((review) => ({
          id: review.id,
          body: review.body,
          author: userFields(review.authorId),
        })),
      })),
    },
  },
  nested: {
    data: {
      users: users.map((user) => ({
        ...userFields(user.id),
        reviews: reviewsOfUser(user.id).map((review) => ({
          ...reviewFields(review),
          product: {
            ...productFields(review.productUpc),
            reviews: reviewsOfProduct(review.productUpc).map((productReview) => ({
              ...reviewFields(productReview),
              author: authorWithReviews(productReview.authorId),
            })),
          },
        })),
      })),
      topProducts: topProducts.map((product) => ({
        ...productFields(product.upc),
        reviews: reviewsOfProduct(product.upc).map((review) => ({
          ...reviewFields(review),
          author: authorWithReviews(review.authorId),
        })),
      })),
    },
  },
};

export const expectedFile = (name: string) => path.join(__dirname, 'expected', `${name}.json`);

export const readExpected = (name: string): unknown => JSON.parse(readFileSync(expectedFile(name), 'utf8'));

if (require.main === module) {
  for (const { name } of benchQueries) {
    writeFileSync(expectedFile(name), `${JSON.stringify(expectedResponses[name], null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), expectedFile(name))}`);
  }
}
