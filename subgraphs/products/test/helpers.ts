// Helpers of the products subgraph's own tests; the ones other packages share (listProducts,
// dataOf, signUp, …) are in `@cloudmart/test-kit`.
import { dataOf, listProducts, postGraphQL, type ProductNode, type ProductsPage, type ProductsVariables } from '@cloudmart/test-kit';

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
