import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { nestsDeeperThan, Work } from './document-walk';
import {
  checkDocumentSource,
  checkOperationLimits,
  fragmentsOf,
  type OperationLimits,
  type SourceLimits,
} from './limits';
import type { ManifestSet } from './persisted-queries';

export interface SubscriptionDocumentChecks {
  /** Before anything reads them: how deeply the message's variables and extensions nest. */
  payload(payload: { variables?: unknown; extensions?: unknown }): GraphQLError | undefined;
  /** Before parsing: the document's size and nesting, and the safelist when it is on. */
  beforeParse(query: string): GraphQLError | undefined;
  /** After parsing: depth, aliases and root fields. */
  afterParse(document: DocumentNode, operation: OperationDefinitionNode): GraphQLError | undefined;
}

/**
 * The HTTP request checks (requests.ts), for subscription documents that arrive over graphql-ws,
 * which does not pass through the HTTP middleware: the same size, nesting, depth, alias and
 * root-field limits within the same work budget and, with PERSISTED_QUERIES_SAFELIST, only
 * operations found in a first-party manifest. (Subscriptions sent over HTTP multipart go through
 * the HTTP checks themselves; each event's fetch then goes through authorization and demand
 * control as a query of its subscriber.)
 */
export function subscriptionDocumentChecks(options: {
  limits: OperationLimits;
  sourceLimits: SourceLimits;
  maxWork: number;
  maxJsonNesting: number;
  firstParty: ManifestSet;
  safelist: boolean;
}): SubscriptionDocumentChecks {
  return {
    payload({ variables, extensions }) {
      if (nestsDeeperThan({ variables, extensions }, options.maxJsonNesting)) {
        return new GraphQLError(
          `The subscription's variables or extensions nest more than ${options.maxJsonNesting} levels of arrays and objects.`,
          { extensions: { code: 'BAD_REQUEST' } },
        );
      }
      return undefined;
    },
    beforeParse(query) {
      if (typeof query !== 'string') {
        return new GraphQLError('The subscription has no query.', { extensions: { code: 'BAD_REQUEST' } });
      }
      const sourceError = checkDocumentSource(query, options.sourceLimits);
      if (sourceError) return sourceError;
      if (options.safelist && !options.firstParty.hasBody(query)) {
        return new GraphQLError('The operation body was not found in the persisted query safelist.', {
          extensions: { code: 'QUERY_NOT_IN_SAFELIST' },
        });
      }
      return undefined;
    },
    afterParse(document, operation) {
      try {
        return checkOperationLimits(operation, fragmentsOf(document), options.limits, new Work(options.maxWork));
      } catch (error) {
        if (error instanceof GraphQLError) return error; // over the work budget
        throw error;
      }
    },
  };
}
