// Prometheus metrics for every service, the contract in docs/observability.md: GraphQL request
// rate, latency and errors per operation; the gateway's subgraph fetches; event consumer lag and
// outbox backlog. One registry per service instance (tests start several in one process).
import type { ApolloServerPlugin, BaseContext as ApolloBaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds. From a cached entity read to a slow checkout. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Operation names come from clients: past this many distinct names, the rest count as `other`. */
export const MAX_OPERATION_NAMES = 500;

/**
 * The client's operation name: the gateway names its subgraph fetches `<Operation>__<subgraph>__<n>`
 * (query plan step n), which a subgraph reports as `<Operation>`, so per-operation series line up
 * across the gateway and the subgraphs.
 */
export const clientOperationName = (name: string | null | undefined): string =>
  (name || 'anonymous').replace(/__[A-Za-z0-9_-]+?__\d+$/, '') || 'anonymous';

export interface ServiceMetrics {
  registry: Registry;
  /** Counts, times and error-counts every GraphQL operation of an Apollo Server. */
  plugin<TContext extends ApolloBaseContext>(): ApolloServerPlugin<TContext>;
  /** `GET /metrics` in Prometheus's text format. */
  handler: RequestHandler;
  /** The gateway's record of one subgraph fetch. */
  recordSubgraphFetch(subgraph: string, seconds: number, ok: boolean): void;
  /** The gateway's entity cache: entities (or root responses) served from it, fetched, or passed through. */
  recordEntityCache(subgraph: string, result: 'hit' | 'miss' | 'bypass', count: number): void;
  /** Events between a consumer group's position and the log's end. */
  setConsumerLag(group: string, topic: string, events: number): void;
  /** Unsent outbox events and the age of the oldest (0 when none). */
  setOutboxBacklog(events: number, oldestAgeSeconds: number): void;
}

export function createServiceMetrics(
  service: string,
  options: { defaultMetrics?: boolean } = {},
): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'cloudmart_graphql_requests_total',
    help: 'GraphQL operations executed.',
    labelNames: ['operation', 'operation_type'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cloudmart_graphql_request_duration_seconds',
    help: 'Time from request received to response sent.',
    labelNames: ['operation', 'operation_type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'cloudmart_graphql_errors_total',
    help: 'Errors in GraphQL responses, one per error.',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  const fetchDuration = new Histogram({
    name: 'cloudmart_subgraph_fetch_duration_seconds',
    help: 'One subgraph fetch of a query plan (gateway).',
    labelNames: ['subgraph'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'cloudmart_subgraph_fetch_errors_total',
    help: 'Failed subgraph fetches (gateway).',
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });
  const entityCacheLookups = new Counter({
    name: 'cloudmart_entity_cache_lookups_total',
    help: "Entities and root responses asked of the gateway's entity cache, by result.",
    labelNames: ['subgraph', 'result'] as const,
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'cloudmart_event_consumer_lag_events',
    help: "Events between a consumer group's committed position and the log's end.",
    labelNames: ['group', 'topic'] as const,
    registers: [registry],
  });
  const outboxBacklog = new Gauge({
    name: 'cloudmart_outbox_backlog_events',
    help: 'Outbox events not yet published.',
    registers: [registry],
  });
  const outboxAge = new Gauge({
    name: 'cloudmart_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest unsent outbox event; 0 when none.',
    registers: [registry],
  });

  const seen = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    const operation = clientOperationName(name);
    if (seen.has(operation)) return operation;
    if (seen.size >= MAX_OPERATION_NAMES) return 'other';
    seen.add(operation);
    return operation;
  };

  return {
    registry,
    plugin<TContext extends ApolloBaseContext>(): ApolloServerPlugin<TContext> {
      return {
        async requestDidStart() {
          const started = process.hrtime.bigint();
          return {
            async willSendResponse(requestContext) {
              const operation = operationLabel(
                requestContext.operationName ?? requestContext.request.operationName,
              );
              const operationType = requestContext.operation?.operation ?? 'unknown';
              const seconds = Number(process.hrtime.bigint() - started) / 1e9;
              requests.inc({ operation, operation_type: operationType });
              duration.observe({ operation, operation_type: operationType }, seconds);
              const body = requestContext.response.body;
              const responseErrors =
                body.kind === 'single' ? (body.singleResult.errors ?? []) : (body.initialResult.errors ?? []);
              for (const error of responseErrors) {
                const code =
                  typeof error.extensions?.code === 'string'
                    ? error.extensions.code
                    : 'INTERNAL_SERVER_ERROR';
                errors.inc({ operation, code });
              }
            },
          };
        },
      };
    },
    handler: (_req, res, next) => {
      registry.metrics().then((text) => {
        res.setHeader('content-type', registry.contentType);
        res.send(text);
      }, next);
    },
    recordSubgraphFetch(subgraph, seconds, ok) {
      fetchDuration.observe({ subgraph }, seconds);
      if (!ok) fetchErrors.inc({ subgraph });
    },
    recordEntityCache(subgraph, result, count) {
      if (count > 0) entityCacheLookups.inc({ subgraph, result }, count);
    },
    setConsumerLag(group, topic, events) {
      consumerLag.set({ group, topic }, events);
    },
    setOutboxBacklog(events, oldestAgeSeconds) {
      outboxBacklog.set(events);
      outboxAge.set(oldestAgeSeconds);
    },
  };
}
