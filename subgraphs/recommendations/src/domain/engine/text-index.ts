// Content similarity: TF-IDF vectors over a product's name, description, brand and category,
// compared by cosine similarity through an inverted index (only products sharing a term are
// scored). Small and dependency-free; the catalog's size (thousands) needs nothing more.
import type { CatalogProduct } from './types';

/** English words too common in product copy to say anything about a product. */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or the this that to with your you our all any can into more than'.split(
    ' ',
  ),
);

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 1 && !STOP_WORDS.has(token) && !/^\d+$/.test(token));
}

/**
 * A product's weighted terms. The name counts three times and the description once; brand and
 * category become terms of their own (`brand:…`, `category:…`) so that they match exactly and
 * are not confused with a word of the copy.
 */
function termCounts(product: CatalogProduct): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string, weight: number) => counts.set(term, (counts.get(term) ?? 0) + weight);
  for (const token of tokenize(product.name)) add(token, 3);
  for (const token of tokenize(product.description)) add(token, 1);
  add(`brand:${product.brand.toLowerCase()}`, 2);
  add(`category:${product.category}`, 4);
  return counts;
}

export class TextIndex {
  /** Each product's unit-length TF-IDF vector. */
  private readonly vectors = new Map<string, Map<string, number>>();
  /** term → products holding it, with the term's weight in each. */
  private readonly postings = new Map<string, { productId: string; weight: number }[]>();

  constructor(products: readonly CatalogProduct[]) {
    const counts = products.map((product) => [product.id, termCounts(product)] as const);
    const documentFrequency = new Map<string, number>();
    for (const [, terms] of counts)
      for (const term of terms.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    const n = products.length;
    for (const [productId, terms] of counts) {
      const vector = new Map<string, number>();
      let norm = 0;
      for (const [term, count] of terms) {
        // Sub-linear term frequency and smoothed inverse document frequency.
        const weight = (1 + Math.log(count)) * Math.log(1 + n / documentFrequency.get(term)!);
        vector.set(term, weight);
        norm += weight * weight;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [term, weight] of vector) {
        const unit = weight / norm;
        vector.set(term, unit);
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ productId, weight: unit });
      }
      this.vectors.set(productId, vector);
    }
  }

  has(productId: string): boolean {
    return this.vectors.has(productId);
  }

  /** Cosine similarity (0 to 1) of every product sharing a term with this one, itself excluded. */
  similarities(productId: string): Map<string, number> {
    const scores = new Map<string, number>();
    const vector = this.vectors.get(productId);
    if (!vector) return scores;
    for (const [term, weight] of vector) {
      for (const posting of this.postings.get(term) ?? []) {
        if (posting.productId === productId) continue;
        scores.set(posting.productId, (scores.get(posting.productId) ?? 0) + weight * posting.weight);
      }
    }
    return scores;
  }
}
