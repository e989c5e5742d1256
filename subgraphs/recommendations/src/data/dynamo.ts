import { tableDefinitions, tableName } from '@cloudmart/runtime';

/** The read model this subgraph owns, and the products table it reads (by contract, read only). */
export interface RecommendationTables {
  purchases: string;
  products: string;
}

export const recommendationTableDefinitions = [tableDefinitions.recommendationPurchases];

export const recommendationTablesFor = (prefix: string): RecommendationTables => ({
  purchases: tableName(prefix, tableDefinitions.recommendationPurchases),
  products: tableName(prefix, tableDefinitions.products),
});
