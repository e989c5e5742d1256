import { tableName } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { recommendationsTables } from '../contract';

/** The read model this subgraph owns, and the products table it reads (by contract, read only). */
export interface RecommendationTables {
  purchases: string;
  products: string;
}

export const recommendationTableDefinitions = Object.values(recommendationsTables);

export const recommendationTablesFor = (prefix: string): RecommendationTables => ({
  purchases: tableName(prefix, recommendationsTables.recommendationPurchases),
  products: tableName(prefix, productsTables.products),
});
