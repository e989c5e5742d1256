import MiniSearch, { type SearchResult } from 'minisearch';
import type { ProductSort } from '../__generated__/resolvers-types';
import type { ProductItem } from '../data/items';
import { comparePositions, orderingFor, type Ordering, type Position, type SearchMatch } from './ordering';

export interface CatalogFilter {
  category?: string;
  search?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
}

export interface CatalogQuery {
  filter: CatalogFilter;
  sort: ProductSort;
  first: number;
  /** Start after this position (from a cursor). */
  after?: Position;
}

export interface CatalogEdge {
  position: Position;
  product: ProductItem;
}

export interface CatalogPage {
  edges: CatalogEdge[];
  hasNextPage: boolean;
  /** Products matching the filter over all pages; computed only if asked for. */
  totalCount(): number;
}

type Indexed = Pick<ProductItem, 'id' | 'name' | 'description' | 'brand'>;

const searchedText = (product: Indexed) =>
  `${product.name}\u0000${product.description}\u0000${product.brand}`;

/**
 * The catalog's read model: every product in memory, with a MiniSearch full-text index over name,
 * description and brand. DynamoDB stays the source of truth: the index is built from a table scan
 * at start and kept current from this process's writes and the table's stream (see
 * workers/product-stream.ts). Listing, filtering, sorting and search are served from here, so the
 * catalog's hot path costs no database call.
 */
export class CatalogIndex {
  private readonly products = new Map<string, ProductItem>();
  private readonly text: MiniSearch<Indexed> = CatalogIndex.createSearch();
  /** Every product in each ordering; rebuilt lazily after a change. */
  private readonly sorted = new Map<Ordering, CatalogEdge[]>();
  private counts?: Map<string, number>;

  private static createSearch() {
    return new MiniSearch<Indexed>({
      fields: ['name', 'description', 'brand'],
      storeFields: [],
      searchOptions: {
        // A word in the name says more about a product than the same word in its description.
        boost: { name: 3, brand: 2 },
        // Typo tolerance: one edit in words of 4–9 letters, two in longer ones ("headphnes" → headphones).
        fuzzy: (term) => (term.length > 3 ? 0.2 : false),
        // The last word may be unfinished while the shopper types.
        prefix: (_term, i, terms) => i === terms.length - 1,
        combineWith: 'OR',
      },
    });
  }

  get size(): number {
    return this.products.size;
  }

  get(id: string): ProductItem | undefined {
    return this.products.get(id);
  }

  /** Replaces the whole catalog (the start-up scan, or a resync after losing the stream). */
  replaceAll(items: readonly ProductItem[]): void {
    this.products.clear();
    this.text.removeAll();
    for (const item of items) this.products.set(item.id, item);
    this.text.addAll(items);
    this.changed();
  }

  /**
   * Applies a newer copy of a product. Copies arrive from several paths (our own writes, the
   * stream, a rescan) in any order; `version` grows with every write, so an older copy is ignored.
   * Returns whether the copy was applied.
   */
  upsert(item: ProductItem): boolean {
    const current = this.products.get(item.id);
    if (current && current.version > item.version) return false;
    this.products.set(item.id, item);
    if (!current) this.text.add(item);
    else if (searchedText(current) !== searchedText(item)) this.text.replace(item);
    this.changed();
    return true;
  }

  remove(id: string): void {
    if (!this.products.delete(id)) return;
    this.text.discard(id);
    this.changed();
  }

  /** How many products each category holds. */
  categoryCounts(): ReadonlyMap<string, number> {
    if (!this.counts) {
      this.counts = new Map();
      for (const product of this.products.values())
        this.counts.set(product.category, (this.counts.get(product.category) ?? 0) + 1);
    }
    return this.counts;
  }

  /** Drops the orderings and counts computed from the old contents; they are rebuilt when next asked for. */
  private changed() {
    this.sorted.clear();
    this.counts = undefined;
  }

  /** One page of the catalog: filtered, searched, sorted, starting after a cursor's position. */
  page(query: CatalogQuery): CatalogPage {
    const search = query.filter.search?.trim();
    const ordering = orderingFor(query.sort, Boolean(search));
    const matches = (product: ProductItem) => matchesFilter(product, query.filter);
    const candidates = search ? this.searchResults(search, ordering) : this.inOrder(ordering);

    // Keyset pagination: the page starts right after the cursor's (key, id), wherever that
    // product is now, so products added or removed elsewhere never shift the page boundaries.
    const { after } = query;
    let start = 0;
    if (after) {
      let low = 0;
      let high = candidates.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (comparePositions(ordering, candidates[middle]!.position, after) <= 0) low = middle + 1;
        else high = middle;
      }
      start = low;
    }
    const edges: CatalogEdge[] = [];
    let hasNextPage = false;
    for (let i = start; i < candidates.length; i++) {
      const candidate = candidates[i]!;
      if (!matches(candidate.product)) continue;
      if (edges.length === query.first) {
        hasNextPage = true;
        break;
      }
      edges.push(candidate);
    }
    return {
      edges,
      hasNextPage,
      totalCount: () =>
        candidates.reduce((count, candidate) => count + (matches(candidate.product) ? 1 : 0), 0),
    };
  }

  private inOrder(ordering: Ordering): CatalogEdge[] {
    let edges = this.sorted.get(ordering);
    if (!edges) {
      edges = [...this.products.values()]
        .map((product) => ({ product, position: { key: ordering.key(product), id: product.id } }))
        .sort((a, b) => comparePositions(ordering, a.position, b.position));
      this.sorted.set(ordering, edges);
    }
    return edges;
  }

  private searchResults(search: string, ordering: Ordering): CatalogEdge[] {
    const edges: CatalogEdge[] = [];
    for (const result of this.text.search(search)) {
      const product = this.products.get(String(result.id));
      if (product)
        edges.push({ product, position: { key: ordering.key(product, matchOf(result)), id: product.id } });
    }
    return edges.sort((a, b) => comparePositions(ordering, a.position, b.position));
  }
}

function matchOf(result: SearchResult): SearchMatch {
  return { matchedTerms: result.queryTerms.length, score: result.score };
}

export function matchesFilter(product: ProductItem, filter: CatalogFilter): boolean {
  if (filter.category !== undefined && product.category !== filter.category) return false;
  if (filter.minPrice !== undefined && product.priceAmount < filter.minPrice) return false;
  if (filter.maxPrice !== undefined && product.priceAmount > filter.maxPrice) return false;
  if (filter.inStock !== undefined && product.stock > 0 !== filter.inStock) return false;
  return true;
}
