// The local recommender: collaborative filtering on order history (co-purchase, time-decayed)
// blended with content similarity (TF-IDF), and popularity for products and shoppers without
// history. Pure and synchronous: the service builds one from its read model and the catalog, and
// the offline evaluation (npm run eval:recs) builds one from the training half of the history.
import { CoPurchaseModel } from './co-purchase';
import { TextIndex } from './text-index';
import type { CatalogProduct, Purchase, ScoredProduct } from './types';

export interface ModelOptions {
  /** Epoch ms at which order weights are computed. */
  now: number;
  /** Half-life of an order's weight, in days. */
  halfLifeDays: number;
  /** The catalog's text index, when the caller already has one for this catalog (it only depends on the catalog). */
  textIndex?: TextIndex;
}

/** How the signals mix. Purchases lead; content (text, and for shoppers the categories they buy in) fills in; popularity breaks ties and covers cold starts. Tuned with `npm run eval:recs`. */
export const BLEND = { coPurchase: 1, content: 0.3, categoryAffinity: 2, popularity: 0.1 } as const;

export class RecommendationModel {
  private readonly coPurchase: CoPurchaseModel;
  readonly text: TextIndex;
  private readonly catalog: Map<string, CatalogProduct>;
  private readonly historyByUser = new Map<string, { productId: string; at: number }[]>();
  /** Products by decayed purchase weight, best-selling first. */
  private readonly popularity: ScoredProduct[];
  private readonly maxPopularity: number;
  /** The same, per category. */
  private readonly popularByCategory = new Map<string, ScoredProduct[]>();
  private readonly halfLifeMs: number;
  private readonly similarCache = new Map<string, ScoredProduct[]>();

  constructor(
    purchases: readonly Purchase[],
    catalog: readonly CatalogProduct[],
    private readonly options: ModelOptions,
  ) {
    this.catalog = new Map(catalog.map((product) => [product.id, product]));
    this.coPurchase = new CoPurchaseModel(purchases, options);
    this.text = options.textIndex ?? new TextIndex(catalog);
    this.halfLifeMs = options.halfLifeDays * 24 * 3600 * 1000;
    for (const purchase of purchases) {
      let history = this.historyByUser.get(purchase.userId);
      if (!history) this.historyByUser.set(purchase.userId, (history = []));
      for (const productId of purchase.productIds) history.push({ productId, at: purchase.at });
    }
    this.popularity = [...this.coPurchase.weights]
      .filter(([productId]) => this.catalog.has(productId))
      .map(([productId, score]) => ({ productId, score }))
      .sort(byScore);
    this.maxPopularity = this.popularity[0]?.score ?? 1;
    for (const entry of this.popularity) {
      const category = this.catalog.get(entry.productId)!.category;
      let list = this.popularByCategory.get(category);
      if (!list) this.popularByCategory.set(category, (list = []));
      list.push(entry);
    }
  }

  hasProduct(productId: string): boolean {
    return this.catalog.has(productId);
  }

  product(productId: string): CatalogProduct | undefined {
    return this.catalog.get(productId);
  }

  /** The products the user bought, most recent first, without repeats. */
  purchasedBy(userId: string): string[] {
    const history = [...(this.historyByUser.get(userId) ?? [])].sort((a, b) => b.at - a.at);
    return [...new Set(history.map((entry) => entry.productId))];
  }

  /**
   * Products to show next to `productId`, best first: bought together with it, then like it,
   * lifted a little by popularity. Never the product itself. Unknown products get the best-sellers.
   */
  similarTo(productId: string, limit: number): ScoredProduct[] {
    const key = `${productId}:${limit}`;
    const cached = this.similarCache.get(key);
    if (cached) return cached;
    const scores = new Map<string, number>();
    for (const [other, score] of this.coPurchase.relatedTo(productId))
      add(scores, other, BLEND.coPurchase * score);
    for (const [other, score] of this.text.similarities(productId)) add(scores, other, BLEND.content * score);
    this.addPopularity(scores);
    scores.delete(productId);
    const ranked = this.top(scores, limit, new Set([productId]));
    this.similarCache.set(key, ranked);
    return ranked;
  }

  /**
   * Products for a shopper, best first: related (by purchases and content) to what they bought,
   * recent purchases counting more. Never something they already bought. Shoppers without
   * history get the best-sellers.
   */
  forUser(userId: string, limit: number): ScoredProduct[] {
    const history = this.historyByUser.get(userId) ?? [];
    const bought = new Set(history.map((entry) => entry.productId));
    const scores = new Map<string, number>();
    let totalWeight = 0;
    const weights = new Map<string, number>();
    for (const entry of history) {
      const weight = 0.5 ** (Math.max(0, this.options.now - entry.at) / this.halfLifeMs);
      weights.set(entry.productId, (weights.get(entry.productId) ?? 0) + weight);
      totalWeight += weight;
    }
    const categoryShares = new Map<string, number>();
    for (const [productId, weight] of weights) {
      const share = weight / (totalWeight || 1);
      for (const [other, score] of this.coPurchase.relatedTo(productId))
        add(scores, other, share * BLEND.coPurchase * score);
      for (const [other, score] of this.text.similarities(productId))
        add(scores, other, share * BLEND.content * score);
      const category = this.catalog.get(productId)?.category;
      if (category) add(categoryShares, category, share);
    }
    // Category affinity: the best-sellers of the categories the shopper buys in.
    for (const [category, share] of categoryShares) {
      for (const entry of this.popularByCategory.get(category)?.slice(0, 50) ?? [])
        add(scores, entry.productId, (BLEND.categoryAffinity * share * entry.score) / this.maxPopularity);
    }
    this.addPopularity(scores);
    return this.top(scores, limit, bought);
  }

  /** The best-sellers, for when nothing else is known. */
  popular(limit: number, exclude: ReadonlySet<string> = new Set()): ScoredProduct[] {
    return this.popularity.filter((entry) => !exclude.has(entry.productId)).slice(0, limit);
  }

  /** Popularity lifts every candidate a little, and brings in best-sellers when candidates are few. */
  private addPopularity(scores: Map<string, number>) {
    for (const [productId, score] of scores) {
      const popularity = this.coPurchase.weights.get(productId) ?? 0;
      scores.set(productId, score + (BLEND.popularity * popularity) / this.maxPopularity);
    }
    for (const entry of this.popularity.slice(0, 100)) {
      if (!scores.has(entry.productId))
        scores.set(entry.productId, (BLEND.popularity * entry.score) / this.maxPopularity);
    }
  }

  private top(scores: Map<string, number>, limit: number, exclude: ReadonlySet<string>): ScoredProduct[] {
    const ranked: ScoredProduct[] = [];
    for (const [productId, score] of scores) {
      if (exclude.has(productId) || !this.catalog.has(productId)) continue;
      ranked.push({ productId, score });
    }
    ranked.sort(byScore);
    return ranked.slice(0, limit);
  }
}

const add = (scores: Map<string, number>, productId: string, score: number) =>
  scores.set(productId, (scores.get(productId) ?? 0) + score);

/** Highest score first; ties by id so results are stable. */
const byScore = (a: ScoredProduct, b: ScoredProduct) =>
  b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);
