// The engine as other packages use it: the offline evaluation (`npm run eval:recs`) and the shapes
// of its input. Imported as `@cloudmart/recommendations/engine`.
export { evaluate, type EvaluationOptions, type EvaluationResult, type Scores } from './evaluate';
export type { CatalogProduct, Purchase, ScoredProduct } from './types';
