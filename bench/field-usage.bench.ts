// npm run bench -- field-usage: what recording field usage (gateway/src/usage, issue 24) costs the
// gateway per request, measured on the recording code itself — the load runs of
// `npm run bench:gateway` (its `ours` and `ours-no-usage` rows) vary more from run to run than
// this cost. On the bench supergraph's API schema, for each bench query:
// - per repeated request: the plugin's hook as Apollo Server calls it for a known client and
//   document (client from the headers, one tally counted) — every request but the first;
// - first sight of a document: the TypeInfo walk that lists its coordinates (once per document);
// - a /metrics scrape and a snapshot with 50 clients × 20 operations recorded.
// The per-request cost is set against the gateway CPU per response that bench/results/gateway.json
// holds for our gateway. In process, pinned to core 1 when `taskset` is there.
// Writes bench/results/field-usage.json and .md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequestContextDidResolveOperation,
  type GraphQLRequestListener,
} from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import { parse, type OperationDefinitionNode } from 'graphql';
import { ClientResolver, fieldsOf, fieldUsagePlugin, FieldUsageRecorder, operationRecorder } from '@cloudmart/gateway/usage';
import { benchQueries } from './gateway/queries';
import { composeBenchSupergraph } from './gateway/supergraph';

const repoRoot = path.resolve(__dirname, '..');
const RUNS = 7;
const REQUESTS_PER_RUN = 500_000;

/** The gateway's request context type, as the plugin declares it. */
type Context = ReturnType<typeof fieldUsagePlugin> extends ApolloServerPlugin<infer C> ? C : never;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const nanosecondsPer = (iterations: number, body: () => void) => {
  const started = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - started) / iterations;
};

async function main() {
  try {
    execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    // not Linux, or no taskset: unpinned
  }
  const schema = Supergraph.build(composeBenchSupergraph()).apiSchema().toGraphQLJSSchema();
  const gatewayRows = (
    JSON.parse(readFileSync(path.join(repoRoot, 'bench', 'results', 'gateway.json'), 'utf8')) as {
      rows: { gateway: string; query: string; cpuMsPerResponse: number | null }[];
    }
  ).rows;
  const sources = { partnerName: () => undefined, isWebOperation: () => false };

  const rows = [];
  for (const query of benchQueries) {
    const document = parse(query.query);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
    )!;
    const queryHash = createHash('sha256').update(query.query).digest('hex');
    const recorder = new FieldUsageRecorder({ maxOperations: 1_000, maxDocumentLength: 20_000 });
    const plugin = fieldUsagePlugin(operationRecorder(recorder, new ClientResolver(sources, 50), 1_000));
    const headers = new HeaderMap([
      ['content-type', 'application/json'],
      ['apollographql-client-name', 'ios-app'],
    ]);
    const requestContext = {
      request: { http: { method: 'POST', headers, search: '', body: {} }, query: query.query },
      queryHash,
      document,
      operation,
      schema,
    } as unknown as GraphQLRequestContextDidResolveOperation<Context>;
    const listener = (await plugin.requestDidStart!(requestContext)) as GraphQLRequestListener<Context>;
    const perRequest = [];
    for (let run = 0; run < RUNS; run += 1) {
      // Apollo Server calls requestDidStart, then didResolveOperation, per request; both awaited.
      const started = process.hrtime.bigint();
      for (let i = 0; i < REQUESTS_PER_RUN; i += 1) {
        await plugin.requestDidStart!(requestContext);
        await listener.didResolveOperation!(requestContext);
      }
      perRequest.push(Number(process.hrtime.bigint() - started) / REQUESTS_PER_RUN);
    }
    const walks = [];
    for (let run = 0; run < RUNS; run += 1) {
      walks.push(nanosecondsPer(1_000, () => {
        for (let i = 0; i < 1_000; i += 1) fieldsOf(schema, document, operation);
      }));
    }
    const coordinates = fieldsOf(schema, document, operation).length;

    const populated = new FieldUsageRecorder({ maxOperations: 1_000, maxDocumentLength: 20_000 });
    const fields = fieldsOf(schema, document, operation);
    for (let client = 0; client < 50; client += 1) {
      for (let op = 0; op < 20; op += 1) {
        populated.record(`client-${client}`, `op-${op}`, () => ({ document: query.query, fields }));
      }
    }
    const scrapes = [];
    const snapshots = [];
    for (let run = 0; run < RUNS; run += 1) {
      scrapes.push(nanosecondsPer(1, () => {
        for (const _count of populated.fieldCounts()); // what the metric's collect() walks
      }));
      snapshots.push(nanosecondsPer(1, () => void JSON.stringify(populated.snapshot())));
    }

    const cpuMsPerResponse = gatewayRows.find((row) => row.gateway === 'ours' && row.query === query.name)?.cpuMsPerResponse ?? null;
    const perRequestNs = median(perRequest);
    rows.push({
      query: query.name,
      coordinates,
      perRequestNs: Math.round(perRequestNs),
      firstSightUs: Number((median(walks) / 1_000).toFixed(1)),
      scrapeMs: Number((median(scrapes) / 1e6).toFixed(2)),
      snapshotMs: Number((median(snapshots) / 1e6).toFixed(2)),
      gatewayCpuMsPerResponse: cpuMsPerResponse,
      shareOfGatewayCpu: cpuMsPerResponse ? Number(((perRequestNs / 1e6 / cpuMsPerResponse) * 100).toFixed(3)) : null,
    });
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
    runs: RUNS,
    requestsPerRun: REQUESTS_PER_RUN,
  };
  writeFileSync(
    path.join(repoRoot, 'bench', 'results', 'field-usage.json'),
    `${JSON.stringify({ benchmark: 'field-usage', environment, rows }, null, 2)}\n`,
  );
  const lines = [
    '# field-usage',
    '',
    "What recording field usage (gateway/src/usage) costs per request, measured on the recording code itself (`npm run bench -- field-usage`): the usage plugin's hooks as Apollo Server calls them for a known client (`apollographql-client-name`) and document, over the bench supergraph's API schema; the TypeInfo walk that lists a document's coordinates, once per distinct document; a `/metrics` scrape and a snapshot with 50 clients × 20 operations recorded. Medians of the runs. *share of gateway CPU* sets the per-request cost against our gateway's CPU per response in bench/results/gateway.md.",
    `${environment.cpus}, Node ${environment.node}, in process pinned to core 1, ${RUNS} runs of ${REQUESTS_PER_RUN.toLocaleString('en')} requests, ${environment.date}, load average ${environment.loadAverage.join(' ')} at the end.`,
    '',
    '| query | coordinates | per repeated request (ns) | first sight of a document (µs) | scrape, 50 × 20 (ms) | snapshot, 50 × 20 (ms) | gateway CPU per response (ms) | share of gateway CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.query} | ${row.coordinates} | ${row.perRequestNs} | ${row.firstSightUs} | ${row.scrapeMs} | ${row.snapshotMs} | ${row.gatewayCpuMsPerResponse ?? '–'} | ${row.shareOfGatewayCpu === null ? '–' : `${row.shareOfGatewayCpu} %`} |`,
    ),
    '',
  ];
  writeFileSync(path.join(repoRoot, 'bench', 'results', 'field-usage.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
