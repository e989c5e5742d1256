// How many fetches and DynamoDB calls a federated query costs: one per entity type, not one per entity.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import {
  baseConfigSchema,
  createLogger,
  dynamoConfigSchema,
  loadConfig,
  loadInternalTokenKeys,
  readSupergraphConfig,
  startSubgraphServer,
  type RunningServer,
} from '@cloudmart/runtime';
import {
  bearer,
  dataOf,
  listProducts,
  signUp,
  makeTempDir,
  postGraphQL,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';
import { composeSupergraph } from '@cloudmart/gateway/compose';
import { start as startGateway } from '@cloudmart/gateway/server';
import { dynamoCalls, type ProductTables, productTablesFor } from '@cloudmart/products/data';
import { inBatches } from './in-batches';

const REVIEWS = 'reviews(first: 2) { totalCount edges { node { rating author { id name } } } }';

interface ReviewedProduct {
  id: string;
  name: string;
  reviews: {
    totalCount: number;
    edges: { node: { rating: number; author: { id: string; name: string } | null } }[];
  };
}

/**
 * A stand-in for a future subgraph (orders, wishlists) that holds Product references only, so
 * the gateway must ask the products subgraph to resolve them: the `_entities` path.
 */
const wishlistSchema = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Product @key(fields: "id", resolvable: false) { id: ID! }
type Query { wishlist: [Product!]! }
`;

/** Every subgraph at zero requests, so a test can say which ones a query reaches and that no other is asked. */
const noRequests = (graph: TestSupergraph) =>
  Object.fromEntries(Object.keys(graph.subgraphRequests).map((name) => [name, 0]));

describe('federated queries over 50 products and their reviewers', () => {
  let graph: TestSupergraph;
  let tables: ProductTables;
  let productIds: string[];
  const reviewers = [
    { email: 'ana@example.com', name: 'Ana Reviewer' },
    { email: 'ben@example.com', name: 'Ben Reviewer' },
  ];

  beforeAll(async () => {
    // No order history (3,000 orders written in the background by default): nothing here reads it.
    graph = await startTestSupergraph({ env: { SEED_DEMO_DATA: 'true', SEED_PRODUCT_COUNT: '60', SEED_ORDER_COUNT: '0' } });
    tables = productTablesFor(loadConfig(dynamoConfigSchema, graph.env).DYNAMODB_TABLE_PREFIX);
    const { products } = dataOf(await listProducts(graph.gatewayUrl, { first: 50, sort: 'PRICE_ASC' }));
    productIds = products.edges.map((edge) => edge.node.id);
    expect(productIds).toHaveLength(50);
    const tokens = await Promise.all(
      reviewers.map(
        async (reviewer) => (await signUp(graph.gatewayUrl, reviewer.email, reviewer.name)).token,
      ),
    );
    const work = productIds.flatMap((productId) =>
      tokens.map((token, i) => ({ productId, token, rating: (i % 5) + 3 })),
    );
    await inBatches(work, 8, async ({ productId, token, rating }) =>
      dataOf(
        await postGraphQL(
          graph.gatewayUrl,
          'mutation($p: ID!, $r: Int!) { addReview(productId: $p, rating: $r, title: "Fine", body: "Works well.") { id } }',
          { p: productId, r: rating },
          bearer(token),
        ),
      ),
    );
  });
  afterAll(() => graph?.stop());

  const expectReviewedByBoth = (products: ReviewedProduct[]) => {
    expect(products.map((product) => product.id).sort()).toEqual([...productIds].sort());
    for (const product of products) {
      expect(product.reviews.totalCount).toBe(2);
      expect(product.reviews.edges.map((edge) => edge.node.author?.name).sort()).toEqual(
        reviewers.map((r) => r.name),
      );
    }
  };

  it("lists 50 products with their reviews' authors in one users fetch and one DynamoDB batch", async () => {
    graph.resetSubgraphRequests();
    dynamoCalls.reset();
    const response = await postGraphQL<{ products: { edges: { node: ReviewedProduct }[] } }>(
      graph.gatewayUrl,
      `{ products(first: 50, sort: PRICE_ASC) { edges { node { id name ${REVIEWS} } } } }`,
    );
    expectReviewedByBoth(dataOf(response).products.edges.map((edge) => edge.node));
    expect(graph.subgraphRequests).toEqual({ ...noRequests(graph), users: 1, products: 1 });
    // The listing comes from the search index; the 100 reviews are one BatchGetItem.
    expect(dynamoCalls.snapshot()).toEqual({ [`BatchGetItem ${tables.reviews}`]: 1 });
  });

  describe('when another subgraph references the products', () => {
    let wishlist: RunningServer;
    let gateway: RunningServer;
    let wishlistRequests = 0;
    const temp = makeTempDir('wishlist');

    beforeAll(async () => {
      const config = loadConfig(baseConfigSchema, graph.env);
      wishlist = await startSubgraphServer({
        name: 'wishlist',
        typeDefs: parse(wishlistSchema),
        resolvers: {
          Query: {
            wishlist: () => {
              wishlistRequests += 1;
              return productIds.map((id) => ({ __typename: 'Product', id }));
            },
          },
        },
        port: 0,
        host: '127.0.0.1',
        production: false,
        gatewayKeys: await loadInternalTokenKeys(config),
        log: createLogger('wishlist', 'silent'),
        createContext: (base) => base,
      });
      const schemaFile = path.join(temp.dir, 'schema.graphql');
      writeFileSync(schemaFile, wishlistSchema);
      const supergraph = readSupergraphConfig();
      const composed = composeSupergraph({
        ...supergraph,
        subgraphs: [
          ...supergraph.subgraphs,
          {
            name: 'wishlist',
            routingUrl: wishlist.url,
            schemaFile,
            packageDir: temp.dir,
            port: wishlist.port,
          },
        ],
      });
      if (!composed.ok) throw new Error(composed.errors.join('\n'));
      const supergraphFile = path.join(temp.dir, 'supergraph.graphql');
      writeFileSync(supergraphFile, composed.supergraphSdl);
      // Same counting proxies in front of users and products as the harness's own gateway.
      gateway = await startGateway({
        ...graph.env,
        PORT: '0',
        SUPERGRAPH_FILE: supergraphFile,
        SUBGRAPH_WISHLIST_URL: wishlist.url,
      });
    });
    afterAll(async () => {
      await gateway?.stop();
      await wishlist?.stop();
      temp.remove();
    });

    it('resolves 50 product references with one BatchGetItem, and their reviewers with one users fetch', async () => {
      graph.resetSubgraphRequests();
      dynamoCalls.reset();
      wishlistRequests = 0;
      const response = await postGraphQL<{ wishlist: ReviewedProduct[] }>(
        gateway.url,
        `{ wishlist { id name price { amount currency } ${REVIEWS} } }`,
      );
      expectReviewedByBoth(dataOf(response).wishlist);
      expect(wishlistRequests).toBe(1);
      expect(graph.subgraphRequests).toEqual({ ...noRequests(graph), users: 1, products: 1 });
      expect(dynamoCalls.snapshot()).toEqual({
        [`BatchGetItem ${tables.products}`]: 1,
        [`BatchGetItem ${tables.reviews}`]: 1,
      });
    });
  });
});
