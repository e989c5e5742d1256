// Offline evaluation with a time split: the model learns from the orders before `splitAt` and is
// asked, for each shopper who bought before and after it, for 10 products; what they bought
// after the split (and not before) is what it should have found. The popularity baseline
// recommends the best-sellers of the training period that the shopper has not bought.
import { hitRateAt, ndcgAt } from './metrics';
import { RecommendationModel } from './model';
import type { CatalogProduct, Purchase } from './types';

export interface EvaluationOptions {
  /** Orders before this instant (epoch ms) train; the rest test. */
  splitAt: number;
  k?: number;
  halfLifeDays: number;
}

export interface Scores {
  hitRate: number;
  ndcg: number;
}

export interface EvaluationResult {
  k: number;
  trainOrders: number;
  testOrders: number;
  /** Shoppers with orders on both sides of the split and something new after it. */
  shoppersEvaluated: number;
  local: Scores;
  popularity: Scores;
}

export function evaluate(
  purchases: readonly Purchase[],
  catalog: readonly CatalogProduct[],
  options: EvaluationOptions,
): EvaluationResult {
  const k = options.k ?? 10;
  const train = purchases.filter((purchase) => purchase.at < options.splitAt);
  const test = purchases.filter((purchase) => purchase.at >= options.splitAt);
  const model = new RecommendationModel(train, catalog, {
    now: options.splitAt,
    halfLifeDays: options.halfLifeDays,
  });

  const later = new Map<string, Set<string>>();
  for (const purchase of test) {
    let products = later.get(purchase.userId);
    if (!products) later.set(purchase.userId, (products = new Set()));
    for (const productId of purchase.productIds) products.add(productId);
  }
  const totals = { local: { hitRate: 0, ndcg: 0 }, popularity: { hitRate: 0, ndcg: 0 } };
  let shoppers = 0;
  for (const [userId, bought] of [...later].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = new Set(model.purchasedBy(userId));
    if (before.size === 0) continue; // a cold start: both would recommend the best-sellers
    const relevant = new Set([...bought].filter((productId) => !before.has(productId)));
    if (relevant.size === 0) continue;
    shoppers += 1;
    const local = model.forUser(userId, k).map((entry) => entry.productId);
    const popular = model.popular(k, before).map((entry) => entry.productId);
    totals.local.hitRate += hitRateAt(k, local, relevant);
    totals.local.ndcg += ndcgAt(k, local, relevant);
    totals.popularity.hitRate += hitRateAt(k, popular, relevant);
    totals.popularity.ndcg += ndcgAt(k, popular, relevant);
  }
  const mean = (scores: Scores): Scores => ({
    hitRate: shoppers ? scores.hitRate / shoppers : 0,
    ndcg: shoppers ? scores.ndcg / shoppers : 0,
  });
  return {
    k,
    trainOrders: train.length,
    testOrders: test.length,
    shoppersEvaluated: shoppers,
    local: mean(totals.local),
    popularity: mean(totals.popularity),
  };
}
