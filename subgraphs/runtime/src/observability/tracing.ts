// OpenTelemetry tracing, W3C trace context between services. Off unless started: a service calls
// startTracing() at start-up (with an OTLP endpoint in production; an in-memory exporter in tests).
// @apollo/gateway already records its spans (gateway.request, gateway.plan, gateway.fetch, …)
// on the global tracer provider; the gateway adds the `traceparent` header to subgraph fetches
// with injectTraceContext, and subgraphs continue the trace with tracingPlugin.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { ApolloServerPlugin, BaseContext as ApolloBaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { clientOperationName } from './metrics';

export interface TracingOptions {
  service: string;
  /** OTLP/HTTP traces endpoint, e.g. http://otel-collector:4318/v1/traces (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  otlpEndpoint?: string;
  /** Any exporter instead (tests pass an InMemorySpanExporter); exported span by span. */
  exporter?: SpanExporter;
}

export interface Tracing {
  provider: BasicTracerProvider;
  shutdown(): Promise<void>;
}

/**
 * Registers a global tracer provider, an AsyncLocalStorage context manager and the W3C trace
 * context propagator. Returns undefined (tracing stays a no-op) when neither an endpoint nor an
 * exporter is given: the local default. The OTLP exporter (with its protobuf encoders, a tenth of
 * a service's start-up when loaded) is loaded only when an endpoint is given.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing | undefined> {
  const exporter =
    options.exporter ??
    (options.otlpEndpoint
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: options.otlpEndpoint })
      : undefined);
  if (!exporter) return undefined;
  const processor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': options.service }),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    provider,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers. */
export function injectTraceContext(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

type IncomingHeaders = { get(name: string): string | undefined };

/**
 * A subgraph's SERVER span per GraphQL operation, child of the caller's span when the request
 * carries a `traceparent` header (the gateway's fetch span). The context's logger is replaced by
 * a child carrying trace_id and span_id, so the operation's log lines join the trace.
 */
export function tracingPlugin<TContext extends ApolloBaseContext & { log?: Logger }>(
  service: string,
): ApolloServerPlugin<TContext> {
  const tracer = trace.getTracer(`cloudmart.${service}`);
  return {
    async requestDidStart({ request, contextValue }) {
      const headers = request.http?.headers as IncomingHeaders | undefined;
      const parent = headers
        ? propagation.extract(context.active(), headers, {
            get: (carrier, key) => carrier.get(key),
            keys: () => [],
          })
        : context.active();
      const span = tracer.startSpan(
        `${service}.request`,
        { kind: SpanKind.SERVER, attributes: { 'cloudmart.service': service } },
        parent,
      );
      if (contextValue.log && span.isRecording()) {
        const { traceId, spanId } = span.spanContext();
        contextValue.log = contextValue.log.child({ trace_id: traceId, span_id: spanId });
      }
      return {
        async didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? 'unknown';
          const name = clientOperationName(operationName);
          span.updateName(`${service} ${type} ${name}`);
          span.setAttribute('graphql.operation.name', name);
          span.setAttribute('graphql.operation.type', type);
        },
        async didEncounterErrors({ errors }) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
        },
        async willSendResponse() {
          span.end();
        },
      };
    },
  };
}
