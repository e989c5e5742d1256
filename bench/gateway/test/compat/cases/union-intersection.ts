// Modelled on the federation-gateway-audit suite "union-intersection": the same union (and a
// second one under a @shareable value type) has different members in two subgraphs, so a
// fragment on a member one subgraph lacks must give an empty object, not an error or a null;
// members' fields come from the other subgraph through entity calls.
import { AUDIT, type CompatCase } from '@cloudmart/test-kit/compat';

const book = {
  __typename: 'Book',
  id: 'm1',
  title: 'The Lord of the Rings',
  aTitle: 'A: The Lord of the Rings',
  bTitle: 'B: The Lord of the Rings',
};
const song = { __typename: 'Song', id: 's2', title: 'Song Title', aTitle: 'A: Song Title' };
const movie = { __typename: 'Movie', id: 'v1', title: 'A Movie Title', bTitle: 'B Movie Title' };

type Key = { id: string };
const find =
  (candidates: { id: string }[]) =>
  ({ id }: Key) =>
    candidates.find((candidate) => candidate.id === id) ?? null;

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])`;

const allMembers = (extra: { Song?: string; Movie?: string; Book?: string } = {}) => `
  __typename
  ... on Song { title ${extra.Song ?? ''} }
  ... on Movie { title ${extra.Movie ?? ''} }
  ... on Book { title ${extra.Book ?? ''} }
`;

export const unionIntersection: CompatCase = {
  name: 'union-intersection',
  source: `${AUDIT}/union-intersection`,
  covers: [
    'unions with different members per subgraph',
    'fragments on union members a subgraph lacks (empty objects)',
    '@shareable root and value-type fields',
    'entity calls for union members',
  ],
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        ${LINK}

        union Media = Book | Song
        union ViewerMedia = Book | Song

        type Book @key(fields: "id") {
          id: ID!
          title: String! @shareable
          aTitle: String!
        }

        type Song @key(fields: "id") {
          id: ID!
          title: String! @shareable
          aTitle: String!
        }

        type Query {
          media: Media @shareable
          aMedia: Media @shareable
          book: Book @shareable
          song: Media @shareable
          viewer: Viewer @shareable
        }

        type Viewer {
          media: ViewerMedia @shareable
          aMedia: ViewerMedia
          book: ViewerMedia @shareable
          song: ViewerMedia @shareable
        }
      `,
      resolvers: {
        Query: {
          media: () => book,
          aMedia: () => book,
          book: () => book,
          song: () => song,
          viewer: () => ({ media: book, aMedia: book, book, song }),
        },
        Book: { __resolveReference: find([book]) },
        Song: { __resolveReference: find([song]) },
      },
    },
    {
      name: 'b',
      typeDefs: `
        ${LINK}

        union Media = Book | Movie
        union ViewerMedia = Book | Movie

        type Book @key(fields: "id") {
          id: ID!
          title: String! @shareable
          bTitle: String!
        }

        type Movie @key(fields: "id") {
          id: ID!
          title: String! @shareable
          bTitle: String!
        }

        type Query {
          media: Media @shareable
          book: Book @shareable
          viewer: Viewer @shareable
        }

        type Viewer {
          media: ViewerMedia @shareable
          book: ViewerMedia @shareable
          bMedia: ViewerMedia
        }
      `,
      resolvers: {
        Query: {
          media: () => book,
          book: () => book,
          viewer: () => ({ media: book, book, bMedia: movie }),
        },
        Book: { __resolveReference: find([book]) },
        Movie: { __resolveReference: find([movie]) },
      },
    },
  ],
  queries: [
    { query: '{ media { ... on Movie { title } } }', expected: { data: { media: {} } } },
    {
      query: '{ media { ... on Book { title } ... on Movie { title } } }',
      expected: { data: { media: { title: book.title } } },
    },
    {
      query: `{ viewer { media { ${allMembers()} } book { ${allMembers()} } song { ${allMembers()} } } }`,
      expected: {
        data: {
          viewer: {
            media: { __typename: 'Book', title: book.title },
            book: { __typename: 'Book', title: book.title },
            song: { __typename: 'Song', title: song.title },
          },
        },
      },
    },
    {
      query: '{ viewer { media { ... on Movie { title } } } }',
      expected: { data: { viewer: { media: {} } } },
    },
    { query: '{ aMedia { ... on Movie { title bTitle } } }', expected: { data: { aMedia: {} } } },
    {
      query: '{ aMedia { ... on Book { title aTitle bTitle } } }',
      expected: { data: { aMedia: { title: book.title, aTitle: book.aTitle, bTitle: book.bTitle } } },
    },
    {
      query: (() => {
        const members = allMembers({ Song: 'aTitle', Movie: 'bTitle', Book: 'aTitle bTitle' });
        return `{ viewer { media { ${members} } book { ${members} } song { ${members} } } }`;
      })(),
      expected: {
        data: {
          viewer: {
            media: { __typename: 'Book', title: book.title, aTitle: book.aTitle, bTitle: book.bTitle },
            book: { __typename: 'Book', title: book.title, aTitle: book.aTitle, bTitle: book.bTitle },
            song: { __typename: 'Song', title: song.title, aTitle: song.aTitle },
          },
        },
      },
    },
    {
      query:
        '{ viewer { aMedia { ... on Movie { title bTitle } } bMedia { ... on Movie { title bTitle } } } }',
      expected: { data: { viewer: { aMedia: {}, bMedia: { title: movie.title, bTitle: movie.bTitle } } } },
    },
  ],
};
