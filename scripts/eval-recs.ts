// npm run eval:recs: offline evaluation of the local recommender against a popularity baseline.
// Generates the demo catalog and a seeded order history (SEED_PRODUCT_COUNT products,
// SEED_ORDER_COUNT orders over 90 days), trains on the first 80 days, and measures hit-rate@10
// and NDCG@10 on what each shopper bought in the last 10. Writes bench/results/recs-eval.json
// and .md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '@cloudmart/recommendations/engine';
import { buildDataset } from './eval-recs/dataset';

const DAY_MS = 24 * 3600 * 1000;
const products = Number(process.env.SEED_PRODUCT_COUNT ?? 2_000);
const orders = Number(process.env.SEED_ORDER_COUNT ?? 3_000);
const seed = process.env.EVAL_SEED ?? 'cloudmart-eval';
const halfLifeDays = Number(process.env.RECS_HALF_LIFE_DAYS ?? 30);
const end = Date.parse('2026-11-01T00:00:00Z');
const days = 90;
const trainDays = 80;

const dataset = buildDataset({ products, orders, seed, end, days });
const result = evaluate(dataset.purchases, dataset.catalog, {
  splitAt: end - (days - trainDays) * DAY_MS,
  halfLifeDays,
  k: 10,
});

const resultsDir = path.join(__dirname, '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const report = {
  generatedAt: new Date().toISOString(),
  dataset: { products, orders, seed, days, trainDays, halfLifeDays },
  ...result,
};
writeFileSync(path.join(resultsDir, 'recs-eval.json'), `${JSON.stringify(report, null, 2)}\n`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const md = `# recommendations: offline evaluation

\`npm run eval:recs\`: the demo catalog (${products} products) and a seeded order history (${orders} orders over
${days} days; shoppers with category affinities, products bought together, a Zipf-like sales curve per
category — see subgraphs/orders/src/seed/generate.ts), split by time: the recommender learns from the
first ${trainDays} days (${result.trainOrders} orders) and recommends ${result.k} products to each shopper who
ordered on both sides of the split; a hit is a product they bought in the last ${days - trainDays} days
(${result.testOrders} orders) and had not bought before. ${result.shoppersEvaluated} shoppers evaluated. Seed \`${seed}\`,
half-life ${halfLifeDays} days, ${report.generatedAt}.

| recommender | hit-rate@${result.k} | NDCG@${result.k} |
| --- | ---: | ---: |
| local (co-purchase + TF-IDF + popularity) | ${pct(result.local.hitRate)} | ${result.local.ndcg.toFixed(4)} |
| popularity baseline | ${pct(result.popularity.hitRate)} | ${result.popularity.ndcg.toFixed(4)} |
`;
writeFileSync(path.join(resultsDir, 'recs-eval.md'), md);
console.log(md);
if (result.local.hitRate <= result.popularity.hitRate) {
  console.error('the local recommender does not beat the popularity baseline on hit-rate');
  process.exit(1);
}
