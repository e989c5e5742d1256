import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { checkOperationLimits, documentTooLarge, fragmentsOf, type OperationLimits } from './limits';
import type { ManifestSet } from './persisted-queries';

export interface SubscriptionDocumentChecks {
  /** Before parsing: the document's size, and the safelist when it is on. */
  beforeParse(query: string): GraphQLError | undefined;
  /** After parsing: depth, aliases and root fields. */
  afterParse(document: DocumentNode, operation: OperationDefinitionNode): GraphQLError | undefined;
}

/**
 * The HTTP request checks (requests.ts), for subscription documents that arrive over graphql-ws,
 * which does not pass through the HTTP middleware: the same size, depth, alias and root-field
 * limits and, with PERSISTED_QUERIES_SAFELIST, only operations found in a first-party manifest.
 * (Subscriptions sent over HTTP multipart go through the HTTP checks themselves; each event's
 * fetch then goes through authorization and demand control as a query of its subscriber.)
 */
export function subscriptionDocumentChecks(options: {
  limits: OperationLimits;
  maxDocumentBytes: number;
  firstParty: ManifestSet;
  safelist: boolean;
}): SubscriptionDocumentChecks {
  return {
    beforeParse(query) {
      if (query.length > options.maxDocumentBytes) return documentTooLarge(query.length, options.maxDocumentBytes);
      if (options.safelist && !options.firstParty.hasBody(query)) {
        return new GraphQLError('The operation body was not found in the persisted query safelist.', {
          extensions: { code: 'QUERY_NOT_IN_SAFELIST' },
        });
      }
      return undefined;
    },
    afterParse(document, operation) {
      return checkOperationLimits(operation, fragmentsOf(document), options.limits);
    },
  };
}
