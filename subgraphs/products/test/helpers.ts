import { postGraphQL, type GraphQLResponse } from '@cloudmart/runtime/testing';

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

/** Fails the test with the response's errors instead of a confusing "cannot read data". */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
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

export async function signUp(
  url: string,
  email: string,
  name: string,
): Promise<{ token: string; id: string }> {
  const response = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
    url,
    'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
    { input: { email, name, password: 'correct-horse-battery' } },
  );
  const { signUp: result } = dataOf(response);
  return { token: result.token, id: result.user.id };
}

/**
 * Retries an assertion until it passes: for changes that arrive through the DynamoDB stream,
 * which is eventually consistent. The deadline only bounds a failing test; nothing is timed.
 */
export async function eventually<T>(check: () => Promise<T>, deadlineMs = 20_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
