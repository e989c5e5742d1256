// Hive Gateway with in-flight deduplication of identical subgraph requests off.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
});
