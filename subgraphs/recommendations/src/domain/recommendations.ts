// The recommendations service: keeps the order-history read model and a catalog snapshot in
// memory, builds the local model from them (again after new order events, lazily at the next
// request), asks the configured recommender to rank, and answers only with products in stock.
// Rankings are cached per model version: a new order event bumps the version, which refreshes
// every answer; stock is read again on every request, so a sold-out product drops out at once.
import type { Logger } from '@cloudmart/runtime';
import type { CatalogReader } from '../data/catalog-reader';
import type { PurchaseStore } from '../data/purchase-store';
import { RecommendationModel } from './engine/model';
import type { CatalogProduct, Purchase, ScoredProduct } from './engine/types';
import type { Recommender } from '../services/recommender/port';

/** A change of the order-history read model, as the order-events consumer reports it. */
export type HistoryChange = { type: 'placed'; purchase: Purchase } | { type: 'voided'; orderId: string };

/** How many candidates the model proposes before stock filtering and ranking. */
const CANDIDATES = 60;
/** A catalog miss (a product newer than the snapshot) re-reads the catalog at most this often. */
const MISS_REFRESH_MS = 1_000;
const MAX_CACHED_RANKINGS = 5_000;

export interface RecommendationsOptions {
  purchases: PurchaseStore;
  catalog: CatalogReader;
  recommender: Recommender;
  log: Logger;
  halfLifeDays: number;
  catalogRefreshMs: number;
  now?: () => number;
}

export class Recommendations {
  private readonly history = new Map<string, Purchase>();
  private readonly voided = new Set<string>();
  private products: CatalogProduct[] = [];
  private catalogReadAt = 0;
  private catalogReading?: Promise<void>;
  private historyReading?: Promise<void>;
  private version = 0;
  private built?: { version: number; catalogReadAt: number; model: RecommendationModel };
  private readonly rankings = new Map<string, ScoredProduct[]>();

  constructor(private readonly options: RecommendationsOptions) {}

  /** Loads the read model and the catalog; call before serving. */
  async init(): Promise<void> {
    await this.readHistory();
    await this.readCatalog();
    this.options.log.info(
      { orders: this.history.size, products: this.products.length },
      'recommendation model loaded',
    );
  }

  /** The consumer's callback: the next request builds the model again. */
  apply(change: HistoryChange): void {
    if (change.type === 'placed') {
      if (!this.voided.has(change.purchase.orderId))
        this.history.set(change.purchase.orderId, change.purchase);
    } else {
      this.voided.add(change.orderId);
      this.history.delete(change.orderId);
    }
    this.version += 1;
  }

  /** How many orders the model learns from (for tests and logs). */
  get orderCount(): number {
    return this.history.size;
  }

  /** Product ids to show next to `productId`, best first; never itself, never out of stock. */
  async forProduct(productId: string, first: number): Promise<ScoredProduct[]> {
    let model = await this.model();
    if (!model.hasProduct(productId) && Date.now() - this.catalogReadAt > MISS_REFRESH_MS) {
      await this.readCatalog();
      model = await this.model();
    }
    const anchor = model.product(productId);
    const candidates = model
      .similarTo(productId, CANDIDATES)
      .filter((entry) => entry.productId !== productId);
    return this.answer(
      model,
      `similar:${productId}:${first}`,
      'similar',
      anchor ? [anchor] : [],
      candidates,
      first,
    );
  }

  /** Product ids for a shopper, best first; never something they bought, never out of stock. */
  async forUser(userId: string, first: number): Promise<ScoredProduct[]> {
    const model = await this.model();
    const bought = model.purchasedBy(userId);
    const context = bought.slice(0, 10).flatMap((id) => model.product(id) ?? []);
    const candidates = model.forUser(userId, CANDIDATES);
    return this.answer(model, `personal:${userId}:${first}`, 'personal', context, candidates, first);
  }

  private async answer(
    model: RecommendationModel,
    key: string,
    kind: 'similar' | 'personal',
    context: CatalogProduct[],
    candidates: ScoredProduct[],
    first: number,
  ): Promise<ScoredProduct[]> {
    const stock = await this.options.catalog.stockOf(candidates.map((entry) => entry.productId));
    const inStock = candidates.filter((entry) => (stock.get(entry.productId) ?? 0) > 0);
    const shortlist = inStock.slice(0, Math.max(first * 2, 20));
    // Keyed by the shortlist too: a product back in stock changes what is ranked.
    const cacheKey = `${this.built?.version}:${this.built?.catalogReadAt}:${key}:${shortlist.map((entry) => entry.productId).join(',')}`;
    let ranked = this.rankings.get(cacheKey);
    if (!ranked) {
      ranked = await this.options.recommender.rank({
        kind,
        context,
        candidates: shortlist.flatMap((entry) => {
          const product = model.product(entry.productId);
          return product ? [{ product, score: entry.score }] : [];
        }),
        limit: first,
      });
      if (this.rankings.size >= MAX_CACHED_RANKINGS) this.rankings.clear();
      this.rankings.set(cacheKey, ranked);
      const reasons = ranked
        .filter((entry) => entry.reason)
        .map(({ productId, reason }) => ({ productId, reason }));
      if (reasons.length > 0) this.options.log.debug({ key, reasons }, 'recommendation reasons');
    }
    // Stock moves between requests: filter the cached ranking again, and fill from the model.
    const available = new Set(inStock.map((entry) => entry.productId));
    const answer = ranked.filter((entry) => available.has(entry.productId)).slice(0, first);
    const chosen = new Set(answer.map((entry) => entry.productId));
    for (const entry of inStock) {
      if (answer.length >= first) break;
      if (!chosen.has(entry.productId)) answer.push(entry);
    }
    return answer;
  }

  /** The model for the current history and catalog, built again when either changed. */
  private async model(): Promise<RecommendationModel> {
    if (Date.now() - this.catalogReadAt > this.options.catalogRefreshMs) {
      await Promise.all([this.readCatalog(), this.readHistory()]);
    }
    const built = this.built;
    if (built && built.version === this.version && built.catalogReadAt === this.catalogReadAt)
      return built.model;
    const model = new RecommendationModel([...this.history.values()], this.products, {
      now: (this.options.now ?? Date.now)(),
      halfLifeDays: this.options.halfLifeDays,
      // New orders alone leave the catalog's text index as it was.
      textIndex: built?.catalogReadAt === this.catalogReadAt ? built.model.text : undefined,
    });
    this.built = { version: this.version, catalogReadAt: this.catalogReadAt, model };
    this.rankings.clear();
    return model;
  }

  /**
   * Merges the read model's table into the in-memory history. At start that is the whole history;
   * later (every CATALOG_REFRESH_MS) it brings in the orders other replicas' consumers handled:
   * replicas share the consumer group, so each receives only some of the events (Kafka's
   * partitions), while every one of them writes to the table.
   */
  private async readHistory(): Promise<void> {
    this.historyReading ??= (async () => {
      try {
        let changed = false;
        for (const item of await this.options.purchases.all()) {
          if (item.counts && !this.voided.has(item.orderId)) {
            if (!this.history.has(item.orderId)) changed = true;
            this.history.set(item.orderId, item);
          } else if (!item.counts && !this.voided.has(item.orderId)) {
            this.voided.add(item.orderId);
            changed = this.history.delete(item.orderId) || changed;
          }
        }
        if (changed) this.version += 1;
      } finally {
        this.historyReading = undefined;
      }
    })();
    await this.historyReading;
  }

  /** One catalog read at a time; concurrent callers share it. */
  private async readCatalog(): Promise<void> {
    this.catalogReading ??= (async () => {
      try {
        this.products = await this.options.catalog.scanAll();
        this.catalogReadAt = Date.now();
      } finally {
        this.catalogReading = undefined;
      }
    })();
    await this.catalogReading;
  }
}
