// Federation compatibility: each case's queries through stock @apollo/gateway and through our
// gateway must give identical responses (status and body), with one documented difference: our
// gateway masks errors that carry no client-facing code (runtime maskUnexpectedErrors), so where
// stock passes a subgraph's error through, ours must answer the same data with the masked error
// at the same path. Where a case comes from The Guild's federation-gateway-audit, stock's `data`
// must also be the one the audit expects. Each case runs with our subgraph deduplication on and
// off, and each query is also sent to ours several times at once (identical in-flight requests),
// except those marked `concurrent: false` (mutations whose answers depend on running alone).
// `data` must also have its fields in stock's order, which toEqual does not compare. Where stock
// is wrong (`stockWrong`, docs/federation-compliance.md), ours is checked against the response
// written out by hand instead.
import type { GraphQLFormattedError } from 'graphql';
import { clientFacingCodes } from '@cloudmart/runtime';
import { startCase, type CompatCase, type GatewayResponse, type RunningCase } from '@cloudmart/test-kit/compat';
import { abstractTypes } from './cases/abstract-types';
import { benchSupergraph } from './cases/bench-supergraph';
import { complexEntityCall } from './cases/complex-entity-call';
import { errorsAndNulls } from './cases/errors-and-nulls';
import { includeSkip } from './cases/include-skip';
import { interfaceObject } from './cases/interface-object';
import { keysMashup } from './cases/keys-mashup';
import { mutations } from './cases/mutations';
import { nestedProvides } from './cases/nested-provides';
import { nullKeys } from './cases/null-keys';
import { overrideTypeInterface } from './cases/override-type-interface';
import { parentEntityCallComplex } from './cases/parent-entity-call-complex';
import { partialUnion } from './cases/partial-union';
import { providesOnUnion } from './cases/provides-on-union';
import { requiresWithArgument } from './cases/requires-with-argument';
import { requiresArgumentsConflict } from './cases/requires-arguments-conflict';
import { requiresThroughResolvableKey } from './cases/requires-through-resolvable-key';
import { requiresWithFragments } from './cases/requires-with-fragments';
import { resultShaping } from './cases/result-shaping';
import { sharedRoot } from './cases/shared-root';
import { simpleEntityCall } from './cases/simple-entity-call';
import { simpleInaccessible } from './cases/simple-inaccessible';
import { typename } from './cases/typename';
import { unionInterfaceDistributed } from './cases/union-interface-distributed';
import { unionIntersection } from './cases/union-intersection';
import { unreachableInterfaceField } from './cases/unreachable-interface-field';

const cases: CompatCase[] = [
  requiresWithFragments,
  nestedProvides,
  overrideTypeInterface,
  nullKeys,
  complexEntityCall,
  sharedRoot,
  interfaceObject,
  errorsAndNulls,
  abstractTypes,
  unionIntersection,
  typename,
  includeSkip,
  simpleInaccessible,
  mutations,
  partialUnion,
  providesOnUnion,
  requiresWithArgument,
  keysMashup,
  simpleEntityCall,
  parentEntityCallComplex,
  unionInterfaceDistributed,
  resultShaping,
  benchSupergraph,
  requiresArgumentsConflict,
  requiresThroughResolvableKey,
  unreachableInterfaceField,
];

type Body = { data?: unknown; errors?: GraphQLFormattedError[]; extensions?: unknown };

/** Stock's response as our gateway must give it: errors without a client-facing code masked. */
function withOurMasking(response: GatewayResponse): GatewayResponse {
  const body = response.body as Body;
  if (!body.errors) return response;
  const errors = body.errors.map((error) => {
    const code = error.extensions?.code;
    if (typeof code === 'string' && clientFacingCodes.has(code)) return error;
    return {
      message: 'Internal server error',
      ...(error.locations ? { locations: error.locations } : {}),
      path: error.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  });
  return { ...response, body: { ...body, errors } };
}

/** Identical requests sent at once in the dedup runs, so that in-flight deduplication is exercised. */
const CONCURRENT = 8;

// Every case runs twice: with our gateway's subgraph deduplication on (its default) and off.
const runs = [
  ['subgraph dedup on', 'true'],
  ['subgraph dedup off', 'false'],
] as const;

describe.each(
  runs.flatMap(([label, dedup]) =>
    cases.map((compatCase) => [compatCase.name, label, dedup, compatCase] as const),
  ),
)('%s (%s)', (_name, _label, dedup, compatCase) => {
  let running: RunningCase;
  beforeAll(async () => {
    running = await startCase(compatCase, { SUBGRAPH_DEDUP: dedup });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it.each(compatCase.queries.map((query, index) => [index + 1, query] as const))(
    'query %i',
    async (_index, query) => {
      if (query.stockWrong !== undefined) {
        // Stock is wrong here: ours must give the answer written out by hand, every time.
        const times = query.concurrent === false ? 1 : CONCURRENT;
        const responses = await running.oursConcurrently(
          query.query,
          query.variables,
          times,
          query.operationName,
        );
        for (const response of responses) {
          expect(response.body).toEqual(query.expected);
          expect(JSON.stringify((response.body as Body).data)).toBe(
            JSON.stringify((query.expected as Body).data),
          );
        }
        return;
      }
      const { stock, ours } = await running.both(query.query, query.variables, query.operationName);
      expect(ours).toEqual(withOurMasking(stock));
      // Field order, which toEqual does not see.
      expect(JSON.stringify((ours.body as Body).data)).toBe(JSON.stringify((stock.body as Body).data));
      if (query.expected !== undefined)
        expect((stock.body as Body).data).toEqual((query.expected as Body).data);
      // A mutation over shared state answers by the order it runs in: not sent at once.
      if (query.concurrent === false) return;
      // The same operation from many callers at once: each gets the whole, same answer.
      const concurrent = await running.oursConcurrently(
        query.query,
        query.variables,
        CONCURRENT,
        query.operationName,
      );
      for (const response of concurrent) expect(response).toEqual(withOurMasking(stock));
    },
  );
});
