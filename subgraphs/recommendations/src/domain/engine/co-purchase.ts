// Item-item collaborative filtering on order history. Two products are related when they are
// bought in the same order (a basket) and, more weakly, by the same shopper in different orders.
// Every order counts with a time-decayed weight, 0.5^(age / half-life), so what sells together
// now outweighs what sold together months ago. Relatedness is the cosine of the two products'
// weighted purchase vectors: co-weight / sqrt(weight(a) · weight(b)), which keeps best-sellers
// from being related to everything.
import type { Purchase } from './types';

export interface CoPurchaseOptions {
  /** Weights are computed at this instant (epoch ms): usually now, in evaluation the split time. */
  now: number;
  halfLifeDays: number;
  /** Weight of "same shopper, different orders" relative to "same basket". */
  sameShopperWeight?: number;
  /** Only a shopper's latest products count towards same-shopper pairs (bounds the pair count). */
  maxProductsPerShopper?: number;
}

const DAY_MS = 24 * 3600 * 1000;

export class CoPurchaseModel {
  /** Decayed purchase weight of each product: its popularity. */
  readonly weights = new Map<string, number>();
  private readonly related = new Map<string, Map<string, number>>();

  constructor(purchases: readonly Purchase[], options: CoPurchaseOptions) {
    const sameShopper = options.sameShopperWeight ?? 0.35;
    const maxPerShopper = options.maxProductsPerShopper ?? 40;
    const decay = (at: number) => 0.5 ** (Math.max(0, options.now - at) / (options.halfLifeDays * DAY_MS));
    const byShopper = new Map<string, { productId: string; orderId: string; weight: number; at: number }[]>();
    for (const purchase of purchases) {
      const weight = decay(purchase.at);
      const products = [...new Set(purchase.productIds)];
      for (const productId of products)
        this.weights.set(productId, (this.weights.get(productId) ?? 0) + weight);
      for (let i = 0; i < products.length; i++)
        for (let j = i + 1; j < products.length; j++) this.addPair(products[i]!, products[j]!, weight);
      let bought = byShopper.get(purchase.userId);
      if (!bought) byShopper.set(purchase.userId, (bought = []));
      for (const productId of products)
        bought.push({ productId, orderId: purchase.orderId, weight, at: purchase.at });
    }
    for (const bought of byShopper.values()) {
      const latest = bought.sort((a, b) => b.at - a.at).slice(0, maxPerShopper);
      for (let i = 0; i < latest.length; i++) {
        for (let j = i + 1; j < latest.length; j++) {
          const a = latest[i]!;
          const b = latest[j]!;
          if (a.orderId === b.orderId || a.productId === b.productId) continue;
          this.addPair(a.productId, b.productId, sameShopper * Math.min(a.weight, b.weight));
        }
      }
    }
  }

  /** Products related to this one by purchases, with their cosine relatedness (0 to 1). */
  relatedTo(productId: string): Map<string, number> {
    const scores = new Map<string, number>();
    const own = this.weights.get(productId);
    if (!own) return scores;
    for (const [other, coWeight] of this.related.get(productId) ?? []) {
      scores.set(other, Math.min(1, coWeight / Math.sqrt(own * (this.weights.get(other) ?? coWeight))));
    }
    return scores;
  }

  private addPair(a: string, b: string, weight: number) {
    if (a === b) return;
    this.bump(a, b, weight);
    this.bump(b, a, weight);
  }

  private bump(from: string, to: string, weight: number) {
    let row = this.related.get(from);
    if (!row) this.related.set(from, (row = new Map()));
    row.set(to, (row.get(to) ?? 0) + weight);
  }
}
