// Carts, checkouts and stock as a client (or the gateway) sees them: shared by the orders subgraph's
// tests and the cross-service tests in test/e2e. Imported by package name, `@cloudmart/test-kit`.
import { asGateway } from './internal-token';
import { dataOf, type Caller } from './shop';
import { postGraphQL } from './graphql-client';
import type { TestSupergraph } from './supergraph';

export const ORDER_FIELDS = `id number status
  items { product { id } quantity unitPrice { amount currency } lineTotal { amount currency } }
  subtotal { amount currency } tax { amount } shipping { amount } total { amount currency }
  events { status at } createdAt updatedAt`;

export const ADD_TO_CART =
  'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { items { product { id } quantity } subtotal { amount currency } } }';
export const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { ${ORDER_FIELDS} } }`;

export interface OrderResult {
  id: string;
  number: string;
  status: string;
  items: {
    product: { id: string };
    quantity: number;
    unitPrice: { amount: number; currency: string };
    lineTotal: { amount: number };
  }[];
  subtotal: { amount: number; currency: string };
  tax: { amount: number };
  shipping: { amount: number };
  total: { amount: number; currency: string };
  events: { status: string; at: string }[];
  createdAt: string;
}

/**
 * What the gateway sends a subgraph for this caller (an internal token; a guest's without one),
 * for tests that call a subgraph directly to check its own authorization.
 */
export const viaGateway = (graph: TestSupergraph, caller?: Caller) =>
  asGateway(graph.env, caller ? { userId: caller.userId, role: caller.role ?? 'CUSTOMER' } : null);

/** A GraphQL request through the gateway, as `caller` (a guest without one). */
export const gql = <T = Record<string, unknown>>(
  graph: TestSupergraph,
  query: string,
  variables: Record<string, unknown>,
  caller?: Caller,
) => postGraphQL<T>(graph.gatewayUrl, query, variables, caller?.headers ?? {});

export async function addToCart(graph: TestSupergraph, caller: Caller, productId: string, quantity: number) {
  return dataOf(await gql(graph, ADD_TO_CART, { p: productId, q: quantity }, caller));
}

export const checkout = (graph: TestSupergraph, caller: Caller, input: Record<string, unknown>) =>
  gql<{ checkout: OrderResult }>(graph, CHECKOUT, { input }, caller);

/**
 * The product's stock as the products subgraph has it now. Asked of the subgraph directly: through
 * the gateway, its entity cache shows a stock change only once the order's event arrives.
 */
export async function stockOf(graph: TestSupergraph, productId: string): Promise<number> {
  const response = await postGraphQL<{ product: { inventory: { available: number } } }>(
    graph.subgraphUrls.products!,
    'query($id: ID!) { product(id: $id) { inventory { available } } }',
    { id: productId },
    await viaGateway(graph),
  );
  return dataOf(response).product.inventory.available;
}
