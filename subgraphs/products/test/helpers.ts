import { dataOf, postGraphQL } from '@cloudmart/test-kit';

export { dataOf, eventually, signUp } from '@cloudmart/test-kit';

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

/** Every product, page by page, following endCursor. */
export async function pageThrough(
  url: string,
  variables: ProductsVariables,
  between?: (page: number) => Promise<void>,
) {
  const nodes: ProductNode[] = [];
  let after: string | null = null;
  for (let page = 0; ; page++) {
    const { products }: ProductsPage = dataOf(await listProducts(url, { ...variables, after }));
    nodes.push(...products.edges.map((edge) => edge.node));
    if (!products.pageInfo.hasNextPage) return nodes;
    after = products.pageInfo.endCursor;
    await between?.(page);
  }
}

/** Logs in through the gateway (the users subgraph issues the token). */
export async function logIn(url: string, email: string, password: string): Promise<string> {
  const response = await postGraphQL<{ logIn: { token: string } }>(
    url,
    'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
    { email, password },
  );
  return dataOf(response).logIn.token;
}

/** Runs tasks with at most `limit` in flight. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}
