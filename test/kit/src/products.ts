// The catalog as a client lists it (`products` with filters, sorting and cursors): shared by the
// products subgraph's tests and the cross-service tests in test/e2e.
import { postGraphQL } from './graphql-client';

export const PRODUCT_FIELDS = `id sku name brand description category { id } price { amount currency }
  inventory { available status } rating { average count } createdAt`;

export const PRODUCTS_QUERY = `query Products($first: Int, $after: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ${PRODUCT_FIELDS} } }
  }
}`;

export interface ProductNode {
  id: string;
  sku: string;
  name: string;
  brand: string;
  description: string;
  category: { id: string };
  price: { amount: number; currency: string };
  inventory: { available: number; status: string };
  rating: { average: number | null; count: number };
  createdAt: string;
}

export interface ProductsPage {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ProductNode }[];
  };
}

export type ProductsVariables = {
  first?: number;
  after?: string | null;
  filter?: Record<string, unknown>;
  sort?: string;
};

export function listProducts(
  url: string,
  variables: ProductsVariables,
  headers: Record<string, string> = {},
) {
  return postGraphQL<ProductsPage>(url, PRODUCTS_QUERY, variables, headers);
}
