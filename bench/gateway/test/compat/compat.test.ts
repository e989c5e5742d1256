// Federation compatibility: each case's queries through stock @apollo/gateway and through our
// gateway must give identical responses (status and body), with one documented difference: our
// gateway masks errors that carry no client-facing code (runtime maskUnexpectedErrors), so where
// stock passes a subgraph's error through, ours must answer the same data with the masked error
// at the same path. Where a case comes from The Guild's federation-gateway-audit, stock's `data`
// must also be the one the audit expects.
import type { GraphQLFormattedError } from 'graphql';
import { clientFacingCodes } from '@cloudmart/runtime';
import type { CompatCase } from './case';
import { startCase, type GatewayResponse, type RunningCase } from './harness';
import { benchSupergraph } from './cases/bench-supergraph';
import { complexEntityCall } from './cases/complex-entity-call';
import { errorsAndNulls } from './cases/errors-and-nulls';
import { interfaceObject } from './cases/interface-object';
import { nestedProvides } from './cases/nested-provides';
import { nullKeys } from './cases/null-keys';
import { overrideTypeInterface } from './cases/override-type-interface';
import { requiresWithFragments } from './cases/requires-with-fragments';
import { sharedRoot } from './cases/shared-root';

const cases: CompatCase[] = [
  requiresWithFragments,
  nestedProvides,
  overrideTypeInterface,
  nullKeys,
  complexEntityCall,
  sharedRoot,
  interfaceObject,
  errorsAndNulls,
  benchSupergraph,
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

describe.each(cases.map((compatCase) => [compatCase.name, compatCase] as const))(
  '%s',
  (_name, compatCase) => {
    let running: RunningCase;
    beforeAll(async () => {
      running = await startCase(compatCase);
    });
    afterAll(async () => {
      await running?.stop();
    });

    it.each(compatCase.queries.map((query, index) => [index + 1, query] as const))(
      'query %i',
      async (_index, query) => {
        const { stock, ours } = await running.both(query.query, query.variables);
        expect(ours).toEqual(withOurMasking(stock));
        if (query.expected !== undefined)
          expect((stock.body as Body).data).toEqual((query.expected as Body).data);
      },
    );
  },
);
