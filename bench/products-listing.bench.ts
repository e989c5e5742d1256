// The product-listing query through the gateway, against the seeded 2,000-product catalog:
// requests/s, p50 and p99 latency for a plain listing, a filtered and sorted one, and a search.
// Everything (DynamoDB Local, users, products, gateway) runs on this machine, as `npm start` does,
// so the numbers compare runs on one machine; they are not a production capacity figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { postGraphQL, startTestSupergraph } from '@cloudmart/test-kit';

const CONNECTIONS = 10;
const DURATION_S = 6;
const WARMUP_S = 2;

const LISTING = `query Listing($first: Int, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name brand category { id name } price { amount currency } inventory { available status } rating { average count } } }
  }
}`;

interface Scenario {
  name: string;
  variables: Record<string, unknown>;
  /** Sent to the products subgraph itself instead of the gateway, to show what the gateway adds. */
  direct?: boolean;
}

const scenarios: Scenario[] = [
  { name: 'listing, first 20, newest', variables: { first: 20 } },
  {
    name: 'category + price + in stock, price ascending',
    variables: {
      first: 20,
      sort: 'PRICE_ASC',
      filter: { category: 'laptops', minPrice: 50_000, maxPrice: 200_000, inStock: true },
    },
  },
  {
    name: 'search "wireless headphones"',
    variables: { first: 20, filter: { search: 'wireless headphones' } },
  },
  {
    name: 'listing, first 20, newest — products subgraph directly, no gateway',
    variables: { first: 20 },
    direct: true,
  },
];

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

async function measure(url: string, body: string, duration: number) {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration,
    // The load generator runs in a worker thread, off the event loop the servers share.
    workers: 1,
  });
}

async function main() {
  const started = Date.now();
  const graph = await startTestSupergraph({ env: { SEED_DEMO_DATA: 'true' } });
  const rows: Row[] = [];
  try {
    for (const scenario of scenarios) {
      const url = scenario.direct ? graph.subgraphUrls.products! : graph.gatewayUrl;
      // Check the query answers correctly first: a benchmark of errors measures nothing.
      const check = await postGraphQL<{ products: { edges: unknown[] } }>(url, LISTING, scenario.variables);
      if (check.errors || !check.data?.products.edges.length)
        throw new Error(`${scenario.name}: ${JSON.stringify(check)}`);
      const body = JSON.stringify({ query: LISTING, variables: scenario.variables });
      await measure(url, body, WARMUP_S);
      const result = await measure(url, body, DURATION_S);
      rows.push({
        scenario: scenario.name,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
      console.log(
        `  ${scenario.name}: ${rows.at(-1)!.requestsPerSecond} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      );
    }
  } finally {
    await graph.stop();
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    connections: CONNECTIONS,
    durationSeconds: DURATION_S,
    catalog: '2,000 seeded products',
  };
  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'products-listing.json'),
    `${JSON.stringify({ benchmark: 'products-listing', environment, rows }, null, 2)}\n`,
  );
  const table = [
    '| scenario | requests/s | p50 (ms) | p99 (ms) | requests | errors | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.requests} | ${r.errors} | ${r.non2xx} |`,
    ),
  ].join('\n');
  writeFileSync(
    path.join(resultsDir, 'products-listing.md'),
    `# products-listing\n\nThe \`products\` query through the gateway (\`npm run bench\`). ${environment.catalog}; ` +
      `${CONNECTIONS} connections for ${DURATION_S} s after a ${WARMUP_S} s warm-up; gateway, subgraphs and DynamoDB Local on one machine ` +
      `(${environment.cpus}, Node ${environment.node}), ${environment.date}. The gateway reaches each subgraph through the ` +
      `test harness's counting proxy, one more local hop than in production. The last row skips the gateway: the difference ` +
      `is the gateway's share (query planning, the subgraph fetch, result merging).\n\n${table}\n`,
  );
  console.log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
  if (rows.some((row) => row.errors > 0 || row.non2xx > 0)) {
    console.error('some requests failed');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
