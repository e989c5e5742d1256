// Recommendations through the gateway, on the whole supergraph: shoppers check out (the orders
// subgraph's outbox relay publishes OrderPlaced on the event bus), the recommendations consumer
// learns from it, and Product.recommendations / me.recommendations answer from that history.
import { randomUUID } from 'node:crypto';
import {
  addToCart,
  bearer,
  type Caller,
  checkout,
  dataOf,
  eventually,
  FAKE_CREDENTIALS,
  mintCaller,
  postGraphQL,
  signUp,
  startFakeBedrock,
  startTestSupergraph,
  type TestSupergraph,
  viaGateway,
} from '@cloudmart/test-kit';
import { start } from '@cloudmart/recommendations/server';

interface Recommended {
  id: string;
  name: string;
  inventory: { available: number };
}

describe('recommendations through the gateway', () => {
  let graph: TestSupergraph;
  let admin: Caller;
  const ids: Record<string, string> = {};
  let shopperA: Caller;
  let shopperB: Caller;

  const buy = async (shopper: Caller, products: string[]) => {
    for (const name of products) await addToCart(graph, shopper, ids[name]!, 1);
    const order = dataOf(
      await checkout(graph, shopper, { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' }),
    ).checkout;
    expect(order.status).toBe('PAID');
  };
  const signedUp = async (name: string): Promise<Caller> => {
    const { token, id } = await signUp(graph.gatewayUrl, `${name}-${randomUUID()}@example.com`, name);
    return { userId: id, headers: bearer(token) };
  };
  const productRecommendations = async (id: string, first?: number) => {
    const response = await postGraphQL<{ product: { id: string; recommendations: Recommended[] } }>(
      graph.gatewayUrl,
      'query($id: ID!, $first: Int) { product(id: $id) { id recommendations(first: $first) { id name inventory { available } } } }',
      { id, first },
    );
    return dataOf(response).product.recommendations;
  };
  const myRecommendations = async (caller: Caller) => {
    const response = await postGraphQL<{ me: { recommendations: { id: string }[] } }>(
      graph.gatewayUrl,
      '{ me { recommendations(first: 5) { id } } }',
      {},
      caller.headers,
    );
    return dataOf(response).me.recommendations.map((product) => product.id);
  };

  const createProduct = async (name: string, category: string, stock: number) => {
    const response = await postGraphQL<{ createProduct: { id: string } }>(
      graph.gatewayUrl,
      'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      {
        input: {
          sku: `RECS-${randomUUID().slice(0, 18)}`,
          name,
          description: `The ${name}, for recommendation tests.`,
          brand: 'Testbrand',
          category,
          price: { amount: 2_500, currency: 'USD' },
          stock,
        },
      },
      admin.headers,
    );
    return dataOf(response).createProduct.id;
  };

  beforeAll(async () => {
    graph = await startTestSupergraph({ only: ['users', 'products', 'payments', 'orders', 'recommendations'] });
    admin = await mintCaller(graph, 'ADMIN');
    for (const [name, category, stock] of [
      ['Aurora Ultrabook Laptop', 'laptops', 20],
      ['Pulse Wireless Headphones', 'headphones', 20],
      ['Glide Wireless Mouse', 'laptops', 20],
      ['Last Laptop Sleeve', 'laptops', 1],
      ['Summit Trail Tent', 'outdoor', 20],
      ['Basecamp Camp Stove', 'outdoor', 20],
      ['Basecamp Camp Lantern', 'outdoor', 20],
    ] as const) {
      ids[name.split(' ').at(-1)!.toLowerCase()] = await createProduct(name, category, stock);
    }
    shopperA = await signedUp('Ada');
    shopperB = await signedUp('Bob');
    const shopperC = await mintCaller(graph);
    const shopperD = await mintCaller(graph);
    await buy(shopperA, ['laptop', 'headphones']);
    await buy(shopperC, ['laptop', 'headphones', 'mouse', 'sleeve']); // takes the last sleeve
    await buy(shopperB, ['tent', 'stove']);
    await buy(shopperD, ['tent', 'stove', 'lantern']);
  });

  afterAll(async () => {
    await graph?.stop();
  });

  it('product(id) { recommendations } returns in-stock products other than itself, bought-together first', async () => {
    const recommended = await eventually(async () => {
      const list = await productRecommendations(ids.laptop!);
      expect(list[0]?.id).toBe(ids.headphones);
      return list;
    });
    expect(recommended.map((product) => product.id)).not.toContain(ids.laptop);
    // Bought with the laptop, but sold out now.
    expect(recommended.map((product) => product.id)).not.toContain(ids.sleeve);
    for (const product of recommended) {
      expect(product.name).toEqual(expect.any(String));
      expect(product.inventory.available).toBeGreaterThan(0);
    }
    expect(recommended.length).toBeLessThanOrEqual(8);
    expect(await productRecommendations(ids.laptop!, 2)).toHaveLength(2);
  });

  it('me { recommendations } differs for two shoppers with different histories', async () => {
    const forA = await eventually(async () => {
      const list = await myRecommendations(shopperA);
      expect(list[0]).toBe(ids.mouse); // bought by another shopper with the same laptop and headphones
      return list;
    });
    const forB = await eventually(async () => {
      const list = await myRecommendations(shopperB);
      expect(list[0]).toBe(ids.lantern);
      return list;
    });
    expect(forA).not.toEqual(forB);
    expect(forA).not.toContain(ids.laptop);
    expect(forA).not.toContain(ids.headphones);
    expect(forB).not.toContain(ids.tent);
  });

  it('keeps a user’s recommendations to themself and admins', async () => {
    const query =
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recommendations { id } } } }';
    const reps = [{ __typename: 'User', id: shopperA.userId }];
    // Asked as the gateway would ask for each caller (the subgraph checks it again itself).
    const asOther = await postGraphQL(graph.subgraphUrls.recommendations!, query, { reps }, await viaGateway(graph, shopperB));
    expect(asOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asGuest = await postGraphQL(graph.subgraphUrls.recommendations!, query, { reps }, await viaGateway(graph));
    expect(asGuest.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const asAdmin = await postGraphQL(graph.subgraphUrls.recommendations!, query, { reps }, await viaGateway(graph, admin));
    expect(asAdmin.errors).toBeUndefined();
  });

  it('refuses a bad `first` with BAD_USER_INPUT', async () => {
    const response = await postGraphQL(
      graph.gatewayUrl,
      'query($id: ID!) { product(id: $id) { recommendations(first: 0) { id } } }',
      { id: ids.laptop },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('with RECOMMENDER=bedrock', () => {
    const entityQuery =
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { recommendations(first: 3) { id } } } }';

    /** A second recommendations server on the same data, ranking with Bedrock at a local fake. */
    async function withBedrockServer(reply: 'healthy' | 'failing', use: (url: string) => Promise<void>) {
      const fake = await startFakeBedrock();
      if (reply === 'failing')
        fake.reply = () => ({
          status: 503,
          errorType: 'ServiceUnavailableException',
          body: { message: 'unavailable' },
        });
      // The SDK's default credential chain reads the process environment.
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
      const server = await start({
        ...graph.env,
        PORT: '0',
        // Its history comes from the read model the first server's consumer wrote.
        EVENT_BUS: 'in-process',
        RECOMMENDER: 'bedrock',
        BEDROCK_ENDPOINT: fake.endpoint,
        BEDROCK_MAX_ATTEMPTS: '1',
      });
      try {
        await use(server.url);
        expect(fake.requests.length).toBeGreaterThan(0);
        expect(fake.requests.every((request) => request.signatureValid)).toBe(true);
      } finally {
        await server.stop();
        await fake.stop();
        process.env.AWS_ACCESS_KEY_ID = saved.id;
        process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
        if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
        if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      }
    }

    const recommendedBy = async (url: string) => {
      const response = await postGraphQL<{ _entities: { recommendations: { id: string }[] }[] }>(
        url,
        entityQuery,
        {
          reps: [{ __typename: 'Product', id: ids.laptop }],
        },
        await viaGateway(graph),
      );
      return dataOf(response)._entities[0]!.recommendations.map((product) => product.id);
    };

    it('still answers, with the local ranking, when Bedrock fails', async () => {
      const local = await recommendedBy(graph.subgraphUrls.recommendations!);
      await withBedrockServer('failing', async (url) => {
        expect(await recommendedBy(url)).toEqual(local);
      });
    });

    it('answers with Claude’s order when Bedrock works', async () => {
      await withBedrockServer('healthy', async (url) => {
        // The fake's "Claude" orders the in-stock shortlist by name: Basecamp Camp Lantern,
        // Basecamp Camp Stove, Glide Wireless Mouse, … — not the local order (headphones first).
        expect(await recommendedBy(url)).toEqual([ids.lantern, ids.stove, ids.mouse]);
      });
    });
  });
});
