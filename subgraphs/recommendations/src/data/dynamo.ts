import type { TableNames } from '@cloudmart/runtime';
import { productsTables } from '@cloudmart/products/contract';
import { recommendationsTables } from '../contract';

/** The read model this subgraph owns, and the products table it reads (by contract, read only). */
export const recommendationTableRoles = {
  purchases: recommendationsTables.recommendationPurchases,
  products: productsTables.products,
};
export type RecommendationTables = TableNames<typeof recommendationTableRoles>;
