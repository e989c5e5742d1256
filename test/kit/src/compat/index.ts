// Federation compatibility cases: subgraph schemas served over HTTP, composed, and queried through
// stock @apollo/gateway and ours side by side. Shared by the gateway's own tests (plan-executor)
// and the compatibility suite in bench/gateway/test/compat (bench's gateway subgraphs serve
// themselves with the same lean server, `@cloudmart/test-kit/serve-subgraph`). A separate entry (`@cloudmart/test-kit/compat`) so that
// tests which never compare gateways do not load @apollo/gateway and composition.
export * from './case';
export * from './harness';
export * from './serve-subgraph';
