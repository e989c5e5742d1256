// Ported from the federation-gateway-audit suite "null-keys": an entity chain (upc → id → author)
// where one hop returns null for one entity, which must null only that branch.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const books = [
  { id: '1', upc: 'b1', author: { id: 'a1', name: 'Alice' } },
  { id: '2', upc: 'b2', author: { id: 'a2', name: 'Bob' } },
  { id: '3', upc: 'b3', author: { id: 'a3', name: 'Jack' } },
];
type BookKey = { id: string } | { upc: string };
const findBook = (key: BookKey) => {
  const book = 'id' in key ? books.find((b) => b.id === key.id) : books.find((b) => b.upc === key.upc);
  if (!book) throw new Error('Invalid reference');
  return book;
};

export const nullKeys: CompatCase = {
  name: 'null-keys',
  source: `${AUDIT}/null-keys`,
  covers: ['nested entity chains through a second @key', 'null entity in a batch', 'null propagation'],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Query {
          bookContainers: [BookContainer]
        }

        type BookContainer {
          book: Book
        }

        type Book @key(fields: "upc") {
          upc: ID!
        }
      `,
      resolvers: { Query: { bookContainers: () => books.map((book) => ({ book: { upc: book.upc } })) } },
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Book @key(fields: "id") @key(fields: "upc") {
          id: ID!
          upc: ID!
        }
      `,
      resolvers: {
        Book: {
          __resolveReference: (key: BookKey) => {
            const book = findBook(key);
            // b3 is unknown here, and this subgraph is the only way from upc to id.
            return book.id === '3' ? null : { __typename: 'Book', id: book.id, upc: book.upc };
          },
        },
      },
    },
    {
      name: 'c',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Book @key(fields: "id") {
          id: ID!
          author: Author
        }

        type Author {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Book: {
          __resolveReference: (key: BookKey) => {
            const book = findBook(key);
            return { __typename: 'Book', id: book.id, author: book.author };
          },
        },
      },
    },
  ],
  queries: [
    {
      query: '{ bookContainers { book { upc author { name } } } }',
      expected: {
        data: {
          bookContainers: [
            { book: { upc: 'b1', author: { name: 'Alice' } } },
            { book: { upc: 'b2', author: { name: 'Bob' } } },
            { book: { upc: 'b3', author: null } },
          ],
        },
      },
    },
  ],
};
