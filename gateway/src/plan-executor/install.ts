// Puts our query-plan executor (./execute-plan.ts) under an ApolloGateway. @apollo/gateway has no
// option for it: its `executor` plans the operation and then calls its module's
// `executeQueryPlan`, looked up on that module's exports at each call. We replace that export once
// per process with a dispatcher, and mark the requests of the gateways given to
// `usePlanExecutor`: only those run on ours; every other ApolloGateway in the process (the
// compatibility tests run stock next to ours) keeps the stock executor. Requests whose traces are
// captured for Apollo usage reporting (FTV1) also stay on stock.
//
// Before planning, a client's field that a @requires also selects with other arguments gets an
// alias of its own, given back in the response (./requires-arguments.ts): the planner would merge
// the two into one field.
//
// The port follows @apollo/gateway 2.14.4 line by line; the versions are pinned in
// gateway/package.json, and with any other version installed the stock executor is used.
import type { ApolloGateway } from '@apollo/gateway';
// The CommonJS exports object itself, whose property the dispatcher replaces (an ES namespace
// import may be a read-only copy of it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import stockModule = require('@apollo/gateway/dist/executeQueryPlan');
import type { DocumentNode } from 'graphql';
import { executeQueryPlan } from './execute-plan';
import {
  aliasFieldsRequiredWithArguments,
  requiredFieldsWithArguments,
  restoreResponseNames,
  type AliasedOperation,
  type RequiredFieldsWithArguments,
} from './requires-arguments';

/** The @apollo/gateway whose executeQueryPlan execute-plan.ts ports. */
export const PORTED_GATEWAY_VERSION = '2.14.4';

type GatewayRequestContext = Parameters<ApolloGateway['executor']>[0];

const requestsForOurs = new WeakSet<GatewayRequestContext>();
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
  gateway.executor = async (requestContext) => {
    const aliased = aliasedOperation(gateway, requestContext);
    if (!aliased) {
      requestsForOurs.add(requestContext);
      return stockExecutor(requestContext);
    }
    // The request as the client sent it but for its document (and the plan cache's key for it).
    const aliasedContext: GatewayRequestContext = Object.assign(
      Object.create(requestContext) as GatewayRequestContext,
      {
        document: aliased.document,
        queryHash: `${requestContext.queryHash}:${ALIASED_PLAN_KEY}`,
      },
    );
    requestsForOurs.add(aliasedContext);
    return restoreResponseNames(await stockExecutor(aliasedContext), aliased);
  };
  return true;
}

/** Told apart from the client's own plan in @apollo/gateway's plan cache. */
const ALIASED_PLAN_KEY = 'requires-arguments-aliased';

// Per supergraph (through its set of fields required with arguments), per parsed document: the
// document with the client's fields that a @requires also selects aliased, or null for none.
const aliasedDocuments = new WeakMap<
  RequiredFieldsWithArguments,
  WeakMap<DocumentNode, AliasedOperation | null>
>();

function aliasedOperation(
  gateway: ApolloGateway,
  requestContext: GatewayRequestContext,
): AliasedOperation | undefined {
  // @apollo/gateway keeps the supergraph schema (with its join__ directives) in a private field.
  const supergraph = gateway['supergraphSchema'];
  if (!supergraph) return undefined;
  const required = requiredFieldsWithArguments(supergraph);
  // The usual supergraph, the shop's and the bench's: no @requires with arguments, nothing to do.
  if (required.size === 0) return undefined;
  let perDocument = aliasedDocuments.get(required);
  if (!perDocument) {
    perDocument = new WeakMap();
    aliasedDocuments.set(required, perDocument);
  }
  let aliased = perDocument.get(requestContext.document);
  if (aliased === undefined) {
    aliased =
      aliasFieldsRequiredWithArguments(requestContext.schema, requestContext.document, required) ?? null;
    perDocument.set(requestContext.document, aliased);
  }
  return aliased ?? undefined;
}
