// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { SalesPeriod } from './domain/insights';
import type { SalesWindow } from './domain/sales-windows';
import type { CategorySalesRow, ProductSalesRow } from './services/warehouse/warehouse';

/** Only the key: the products subgraph owns the rest. */
export interface ProductModel {
  id: string;
}

/** Only the key: the products subgraph owns the review; this subgraph adds its sentiment. */
export interface ReviewModel {
  id: string;
}

export type SalesPeriodModel = SalesPeriod;
export type ProductSalesModel = ProductSalesRow;
export type CategorySalesModel = CategorySalesRow;
export type SalesWindowModel = SalesWindow;
