// The benchmark's operations. Each has an expected response in ./expected/<name>.json, written by
// ./expected.ts from the bench data directly (not from any gateway), that every response is
// compared with.

export interface BenchQuery {
  name: string;
  description: string;
  query: string;
}

/** One query touching all four subgraphs: products, then inventory (@requires) and reviews, then accounts. */
export const fourSubgraphQuery: BenchQuery = {
  name: 'four-subgraph',
  description: 'topProducts with inventory (@requires price weight), reviews and each author from accounts',
  query: /* GraphQL */ `
    query TopProducts {
      topProducts {
        upc
        name
        price
        weight
        inStock
        shippingEstimate
        reviews {
          id
          body
          author {
            id
            username
            name
          }
        }
      }
    }
  `,
};

/** Shaped like The Guild's gateways benchmark query (graphql-hive/graphql-gateways-benchmark, k6.js). */
export const nestedQuery: BenchQuery = {
  name: 'nested',
  description:
    "The Guild benchmark's shape: users and topProducts, reviews → product → reviews → author → reviews → product",
  query: /* GraphQL */ `
    fragment User on User {
      id
      username
      name
    }

    fragment Review on Review {
      id
      body
    }

    fragment Product on Product {
      inStock
      name
      price
      shippingEstimate
      upc
      weight
    }

    query TestQuery {
      users {
        ...User
        reviews {
          ...Review
          product {
            ...Product
            reviews {
              ...Review
              author {
                ...User
                reviews {
                  ...Review
                  product {
                    ...Product
                  }
                }
              }
            }
          }
        }
      }
      topProducts {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }
  `,
};

export const benchQueries: BenchQuery[] = [fourSubgraphQuery, nestedQuery];
