import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  baseConfigSchema,
  createDocumentClient,
  dynamoConfigSchema,
  loadConfig,
  loadJwtKeys,
  signAccessToken,
  tableDefinitions,
  tableName,
  type Role,
} from '@cloudmart/runtime';
import { asGateway, bearer, postGraphQL, type TestSupergraph } from '@cloudmart/runtime/testing';
import { dataOf } from '../../products/test/helpers';

export { dataOf, signUp } from '../../products/test/helpers';

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

/** A signed-in caller: the same ES256 token the users subgraph issues, minted from the test's key files. */
export interface Caller {
  userId: string;
  /** The caller's own access token, as a client sends it to the gateway. */
  headers: Record<string, string>;
  role?: Role;
}

/**
 * What the gateway sends a subgraph for this caller (an internal token; a guest's without one),
 * for tests that call a subgraph directly to check its own authorization.
 */
export const viaGateway = (graph: TestSupergraph, caller?: Caller) =>
  asGateway(graph.env, caller ? { userId: caller.userId, role: caller.role ?? 'CUSTOMER' } : null);

export async function mintCaller(
  graph: TestSupergraph,
  role: Role = 'CUSTOMER',
  userId = randomUUID(),
): Promise<Caller> {
  const keys = await loadJwtKeys(loadConfig(baseConfigSchema, graph.env), { needPrivateKey: true });
  return { userId, role, headers: bearer(await signAccessToken(keys, { userId, role })) };
}

let skuNumber = 0;
/** Creates a product through the gateway as an admin; returns its id. */
export async function createProduct(
  graph: TestSupergraph,
  admin: Caller,
  { stock, price = 2_500, name }: { stock: number; price?: number; name?: string },
): Promise<string> {
  const sku = `ORD-${process.pid}-${++skuNumber}`;
  const response = await postGraphQL<{ createProduct: { id: string } }>(
    graph.gatewayUrl,
    'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sku,
        name: name ?? `Test product ${sku}`,
        description: 'A product for order tests.',
        brand: 'Testbrand',
        category: 'headphones',
        price: { amount: price, currency: 'USD' },
        stock,
      },
    },
    admin.headers,
  );
  return dataOf(response).createProduct.id;
}

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

/** Writes an item straight to one of the tables (to set up states the API cannot reach, e.g. time passing). */
export async function putItem(graph: TestSupergraph, table: keyof typeof tableDefinitions, item: Record<string, unknown>) {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    await client.send(new PutCommand({ TableName: tableName(config.DYNAMODB_TABLE_PREFIX, tableDefinitions[table]), Item: item }));
  } finally {
    client.destroy();
  }
}

/** Every item of one of the tables (small in tests), read straight from DynamoDB. */
export async function scanTable(
  graph: TestSupergraph,
  table: keyof typeof tableDefinitions,
): Promise<Record<string, unknown>[]> {
  const config = loadConfig(dynamoConfigSchema, graph.env);
  const client = createDocumentClient(config);
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName(config.DYNAMODB_TABLE_PREFIX, tableDefinitions[table]),
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}
