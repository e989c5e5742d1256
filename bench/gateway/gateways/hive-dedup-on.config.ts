// Hive Gateway with in-flight deduplication of identical subgraph requests on (its default:
// @graphql-tools/executor-http's deduplicateInflightRequests), stated explicitly. This is the
// deduplication issue 11 asks of our gateway (identical subgraph queries), so it is the pair
// the table compares; the inbound (whole-request) kind is the hive-inbound-dedup variant.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: true } } },
});
