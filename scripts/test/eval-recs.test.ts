// The offline evaluation on a small seeded history: the local recommender must beat the
// popularity baseline on hit-rate@10, as `npm run eval:recs` reports on the full-size one.
import { evaluate } from '@cloudmart/recommendations/engine';
import { buildDataset } from '../eval-recs/dataset';

const DAY = 24 * 3600 * 1000;
const END = Date.parse('2026-11-01T00:00:00Z');

describe('recommendations offline evaluation', () => {
  it.each(['alpha', 'beta'])('beats popularity on hit-rate@10 (seed %s)', (seed) => {
    const dataset = buildDataset({ products: 300, orders: 800, seed, end: END, days: 90 });
    const result = evaluate(dataset.purchases, dataset.catalog, {
      splitAt: END - 10 * DAY,
      halfLifeDays: 30,
    });
    expect(result.shoppersEvaluated).toBeGreaterThan(20);
    expect(result.local.hitRate).toBeGreaterThan(result.popularity.hitRate);
    expect(result.local.ndcg).toBeGreaterThan(result.popularity.ndcg);
  });

  it('is deterministic for a seed', () => {
    const a = buildDataset({ products: 100, orders: 200, seed: 'same', end: END, days: 90 });
    const b = buildDataset({ products: 100, orders: 200, seed: 'same', end: END, days: 90 });
    expect(b).toEqual(a);
  });
});
