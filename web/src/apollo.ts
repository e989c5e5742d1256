// Apollo Client for the gateway: queries and mutations over HTTP with persisted query ids,
// subscriptions over graphql-ws, the signed-in user's token on both.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import {
  generatePersistedQueryIdsFromManifest,
  generatePersistedQueryIdsAtRuntime,
} from '@apollo/persisted-query-lists';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';

/** The build writes the manifest before bundling; the dev server may run without one. */
const manifests = import.meta.glob<{ operations: { id: string; name: string }[] }>(
  '../persisted-query-manifest.json',
  { import: 'default' },
);

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function persistedQueries(): ApolloLink[] {
  const loadManifest = Object.values(manifests)[0];
  // Ids from the build's manifest (what the gateway safelists); without a manifest (dev
  // server), the same ids computed at run time. Either way, an id the gateway does not know
  // yet (PERSISTED_QUERY_NOT_FOUND) is sent again with the full query, as APQ does.
  if (loadManifest) return [new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest }))];
  // crypto.subtle exists only in secure contexts (https, localhost): elsewhere, full queries.
  if (globalThis.crypto?.subtle)
    return [new PersistedQueryLink(generatePersistedQueryIdsAtRuntime({ sha256 }))];
  return [];
}

export function createApolloClient(token: string | null): ApolloClient {
  const httpUrl = '/graphql';
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const http = ApolloLink.from([...persistedQueries(), new HttpLink({ uri: httpUrl, headers })]);
  const ws = new GraphQLWsLink(
    createClient({
      url: wsUrl,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
    }),
  );
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    http,
  );
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Cart: { keyFields: [] },
        Money: { keyFields: false },
        Rating: { keyFields: false },
        Inventory: { keyFields: false },
      },
    }),
    defaultOptions: { watchQuery: { errorPolicy: 'all' }, query: { errorPolicy: 'all' } },
  });
}
