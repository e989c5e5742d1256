import { z } from 'zod';
import type { ProductSort } from '../__generated__/resolvers-types';
import type { ProductItem } from '../data/items';

/** What a search contributed to a product's place in RELEVANCE order. */
export interface SearchMatch {
  /** How many of the query's words the product matched: products matching all words come first. */
  matchedTerms: number;
  /** MiniSearch's BM25 score. */
  score: number;
}

export type SortKey = (string | number)[];

/** A place in an ordering: the sort key of a product plus its id, which breaks every tie. */
export interface Position {
  key: SortKey;
  id: string;
}

export interface Ordering {
  /** The sort key of a product, as stored in cursors. */
  key(product: ProductItem, match?: SearchMatch): SortKey;
  /** Orders two keys (negative: a first); ties are broken by id afterwards. */
  compareKeys(a: SortKey, b: SortKey): number;
  /** The shape a cursor's key must have for this ordering. */
  keySchema: z.ZodType<SortKey>;
}

const num = (key: SortKey, i: number) => key[i] as number;
const str = (key: SortKey, i: number) => key[i] as string;
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const newest: Ordering = {
  key: (product) => [product.createdAt],
  compareKeys: (a, b) => compareStrings(str(b, 0), str(a, 0)),
  keySchema: z.tuple([z.string()]),
};

/** Every order the catalog can be listed in. Orderings are total: (key, id) never ties. */
const orderings: Record<Exclude<ProductSort, 'RELEVANCE'> | 'SEARCH_RELEVANCE', Ordering> = {
  NEWEST: newest,
  PRICE_ASC: {
    key: (product) => [product.priceAmount],
    compareKeys: (a, b) => num(a, 0) - num(b, 0),
    keySchema: z.tuple([z.number().int()]),
  },
  PRICE_DESC: {
    key: (product) => [product.priceAmount],
    compareKeys: (a, b) => num(b, 0) - num(a, 0),
    keySchema: z.tuple([z.number().int()]),
  },
  RATING: {
    // [ratingSum, ratingCount]: averages are compared by cross-multiplying integers, so no float
    // rounding can make two products swap places between pages.
    key: (product) => [product.ratingSum, product.ratingCount],
    compareKeys: (a, b) => {
      const [sumA, countA, sumB, countB] = [num(a, 0), num(a, 1), num(b, 0), num(b, 1)];
      if ((countA === 0) !== (countB === 0)) return countA === 0 ? 1 : -1;
      return sumB * countA - sumA * countB || countB - countA;
    },
    keySchema: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  },
  SEARCH_RELEVANCE: {
    key: (_product, match) => [match?.matchedTerms ?? 0, match?.score ?? 0],
    compareKeys: (a, b) => num(b, 0) - num(a, 0) || num(b, 1) - num(a, 1),
    keySchema: z.tuple([z.number().int().min(0), z.number()]),
  },
};

/** RELEVANCE means best match when searching; without a search there is nothing to match, so NEWEST. */
export function orderingFor(sort: ProductSort, searching: boolean): Ordering {
  if (sort === 'RELEVANCE') return searching ? orderings.SEARCH_RELEVANCE : orderings.NEWEST;
  return orderings[sort];
}

export function comparePositions(ordering: Ordering, a: Position, b: Position): number {
  return ordering.compareKeys(a.key, b.key) || compareStrings(a.id, b.id);
}
