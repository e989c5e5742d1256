// Offline ranking metrics with binary relevance: a recommended product is relevant when the
// shopper bought it in the held-out period.

/** 1 when any of the first k recommendations is relevant, else 0. */
export function hitRateAt(k: number, recommended: readonly string[], relevant: ReadonlySet<string>): number {
  return recommended.slice(0, k).some((productId) => relevant.has(productId)) ? 1 : 0;
}

/** Normalized discounted cumulative gain of the first k recommendations (0 to 1). */
export function ndcgAt(k: number, recommended: readonly string[], relevant: ReadonlySet<string>): number {
  let dcg = 0;
  recommended.slice(0, k).forEach((productId, i) => {
    if (relevant.has(productId)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}
