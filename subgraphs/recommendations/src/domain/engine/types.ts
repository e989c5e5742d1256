/** What the recommender knows about a product: the text it compares, and stock to filter on. */
export interface CatalogProduct {
  id: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  /** Units available when last read; the service re-reads it before answering. */
  stock: number;
}

/** One order as the recommender keeps it: who bought which products, when. */
export interface Purchase {
  orderId: string;
  userId: string;
  /** When the order was placed, in epoch milliseconds. */
  at: number;
  productIds: readonly string[];
}

/** A recommended product with its score (higher is better) and, from some rankers, why. */
export interface ScoredProduct {
  productId: string;
  score: number;
  reason?: string;
}
