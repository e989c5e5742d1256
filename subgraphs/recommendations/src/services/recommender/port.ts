// The recommender port: given the candidates the local model found (from order history and
// content), put the best first. Adapters: local.ts (the model's own order, the default) and
// bedrock.ts (Titan embeddings and a Claude re-rank with a one-line reason); fallback.ts turns a
// failing provider into the local answer.
import type { CatalogProduct, ScoredProduct } from '../../domain/engine/types';

export interface RankRequest {
  /** `similar`: next to one product; `personal`: for a shopper. */
  kind: 'similar' | 'personal';
  /** The product (similar), or the shopper's recent purchases, most recent first (personal). */
  context: CatalogProduct[];
  /** In stock, never the product itself or something the shopper bought; the model's best first. */
  candidates: { product: CatalogProduct; score: number }[];
  limit: number;
}

export interface Recommender {
  readonly name: string;
  /** Up to `limit` of the candidates, best first. Rejects when the provider fails. */
  rank(request: RankRequest): Promise<ScoredProduct[]>;
}
