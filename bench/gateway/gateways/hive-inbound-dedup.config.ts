// Hive Gateway as The Guild's benchmark configures it (graphql-hive/graphql-gateways-benchmark,
// gateways/hive-gateway/gateway.config.ts): identical client requests in flight at the same time
// are executed once (inbound deduplication), on top of the subgraph-request deduplication.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({ inboundInflightRequestDeduplication: true });
