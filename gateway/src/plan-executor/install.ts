// Puts our query-plan executor (./execute-plan.ts) under an ApolloGateway. @apollo/gateway has no
// option for it: its `executor` plans the operation and then calls its module's
// `executeQueryPlan`, looked up on that module's exports at each call. We replace that export once
// per process with a dispatcher, and mark the requests of the gateways given to
// `usePlanExecutor`: only those run on ours; every other ApolloGateway in the process (the
// compatibility tests run stock next to ours) keeps the stock executor. Requests whose traces are
// captured for Apollo usage reporting (FTV1) also stay on stock.
//
// The port follows @apollo/gateway 2.14.4 line by line; the versions are pinned in
// gateway/package.json, and with any other version installed the stock executor is used.
import type { ApolloGateway } from '@apollo/gateway';
// The CommonJS exports object itself, whose property the dispatcher replaces (an ES namespace
// import may be a read-only copy of it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import stockModule = require('@apollo/gateway/dist/executeQueryPlan');
import { executeQueryPlan } from './execute-plan';

/** The @apollo/gateway whose executeQueryPlan execute-plan.ts ports. */
export const PORTED_GATEWAY_VERSION = '2.14.4';

const requestsForOurs = new WeakSet<Parameters<ApolloGateway['executor']>[0]>();
let dispatcherInstalled = false;

function installDispatcher(): void {
  if (dispatcherInstalled) return;
  const stock = stockModule.executeQueryPlan;
  const dispatch: typeof stock = (queryPlan, serviceMap, requestContext, ...rest) =>
    requestsForOurs.has(requestContext) && !requestContext.metrics?.captureTraces
      ? executeQueryPlan(queryPlan, serviceMap, requestContext, ...rest)
      : stock(queryPlan, serviceMap, requestContext, ...rest);
  (stockModule as { executeQueryPlan: typeof stock }).executeQueryPlan = dispatch;
  dispatcherInstalled = true;
}

function installedGatewayVersion(): string {
  // The version of the @apollo/gateway that Node resolves at run time, from its manifest.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@apollo/gateway/package.json') as { version: string }).version;
}

/**
 * Runs `gateway`'s query plans on our executor. Call before the gateway is loaded (Apollo Server
 * takes its `executor` at start). Returns false, changing nothing, if the installed
 * @apollo/gateway is not the version the executor ports.
 */
export function usePlanExecutor(gateway: ApolloGateway): boolean {
  if (installedGatewayVersion() !== PORTED_GATEWAY_VERSION) return false;
  installDispatcher();
  const stockExecutor = gateway.executor;
  gateway.executor = (requestContext) => {
    requestsForOurs.add(requestContext);
    return stockExecutor(requestContext);
  };
  return true;
}
