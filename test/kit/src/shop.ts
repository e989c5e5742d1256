// Helpers for tests that drive the shop through the gateway (cross-service tests in test/e2e and
// the packages' own): callers with minted tokens, products made by an admin, and assertions on
// GraphQL responses. Imported by package name, `@cloudmart/test-kit`.
import { randomUUID } from 'node:crypto';
import { baseConfigSchema, loadConfig } from '@cloudmart/runtime';
import { loadJwtKeys, signAccessToken, type Role } from '@cloudmart/runtime';
import { bearer, postGraphQL, type GraphQLResponse } from './graphql-client';
import type { TestSupergraph } from './supergraph';

/** Fails the test with the response's errors instead of a confusing "cannot read data". */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

/** A signed-in caller: the same ES256 token the users subgraph issues, minted from the test's key files. */
export interface Caller {
  userId: string;
  /** The caller's own access token, as a client sends it to the gateway. */
  headers: Record<string, string>;
  role?: Role;
}

export async function mintCaller(graph: Pick<TestSupergraph, 'env'>, role: Role = 'CUSTOMER', userId = randomUUID()): Promise<Caller> {
  const keys = await loadJwtKeys(loadConfig(baseConfigSchema, graph.env), { needPrivateKey: true });
  return { userId, role, headers: bearer(await signAccessToken(keys, { userId, role })) };
}

/** Signs up through the gateway; returns the new account's token and id. */
export async function signUp(url: string, email: string, name: string): Promise<{ token: string; id: string }> {
  const response = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
    url,
    'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
    { input: { email, name, password: 'correct-horse-battery' } },
  );
  const { signUp: result } = dataOf(response);
  return { token: result.token, id: result.user.id };
}

/** Creates a product through the gateway as an admin; returns its id. */
export async function createProduct(
  graph: Pick<TestSupergraph, 'gatewayUrl'>,
  admin: Caller,
  { stock, price = 2_500, name }: { stock: number; price?: number; name?: string },
): Promise<string> {
  // Unique across every test file that shares the subgraphs, not only within this one.
  const sku = `TST-${randomUUID().slice(0, 8).toUpperCase()}`;
  const response = await postGraphQL<{ createProduct: { id: string } }>(
    graph.gatewayUrl,
    'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        sku,
        name: name ?? `Test product ${sku}`,
        description: 'A product made by a test.',
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

/**
 * Retries an assertion until it passes: for changes that arrive through a stream or the event bus,
 * which are eventually consistent. The deadline only bounds a failing test; nothing is timed. A
 * minute: on a loaded machine (four jest workers on two cores) a consumer catching up on 120
 * seeded orders had learned 40 after 20 s.
 */
export async function eventually<T>(check: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
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
