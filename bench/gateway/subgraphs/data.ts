// The bench supergraph's data: fixed, in memory, the same on every run, so every gateway's
// response to a query can be compared byte for byte with the expected JSON in ../expected.

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  /** Minor units. */
  price: number;
  /** Grams. */
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

const firstNames = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald'];
const lastNames = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth'];

export const users: User[] = firstNames.map((first, index) => ({
  id: String(index + 1),
  name: `${first} ${lastNames[index]!}`,
  username: `${first.toLowerCase()}${index + 1}`,
  birthday: 1_000_000 + index * 86_400,
}));

const productNames = ['Table', 'Couch', 'Chair', 'Lamp', 'Desk', 'Shelf', 'Rug', 'Mirror', 'Stool'];

export const products: Product[] = productNames.map((name, index) => ({
  upc: String(index + 1),
  name,
  price: 399 + index * 211,
  weight: 20 + ((index * 37) % 90),
}));

/** Which products are in stock (the inventory subgraph's own data). */
export const inStock: Record<string, boolean> = Object.fromEntries(
  products.map((product, index) => [product.upc, index % 3 !== 1]),
);

const words = (
  'solid well made sturdy arrived quickly assembly took an hour the finish is even colour matches ' +
  'the photos would buy again packaging was generous instructions were clear'
).split(' ');

/** A deterministic review text of a few hundred characters. */
function reviewBody(seed: number): string {
  const length = 30 + (seed % 4) * 12;
  return Array.from({ length }, (_, i) => words[(seed * 7 + i * 3) % words.length]!).join(' ');
}

// Two or three reviews per user, spread over the products.
export const reviews: Review[] = users.flatMap((user, userIndex) =>
  Array.from({ length: 2 + (userIndex % 2) }, (_, i) => {
    const seed = userIndex * 3 + i;
    return {
      id: String(seed + 1),
      body: reviewBody(seed),
      authorId: user.id,
      productUpc: products[(userIndex * 2 + i * 4) % products.length]!.upc,
    };
  }),
);

/** shippingEstimate, as the inventory subgraph computes it from price and weight (@requires). */
export const shippingEstimate = (price: number, weight: number) =>
  price > 1_000 ? 0 : Math.round(weight / 2);

/** How many products topProducts returns when `first` is not given. */
export const TOP_PRODUCTS_DEFAULT = 5;
