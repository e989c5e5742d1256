// Who is signed in: the JWT from logIn/signUp kept in localStorage, and the user it belongs to.
// Signing in or out builds a new Apollo Client, so no cached data crosses accounts.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { createApolloClient } from './apollo';
import { graphql } from './__generated__';
import type { MeQuery } from './__generated__/graphql';

const TOKEN_KEY = 'cloudmart.token';

export const MeDocument = graphql(`
  query Me {
    me {
      id
      name
      email
      role
    }
  }
`);

interface Auth {
  token: string | null;
  user: MeQuery['me'];
  loading: boolean;
  signIn(token: string): void;
  signOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

function CurrentUser({
  token,
  signIn,
  signOut,
  children,
}: {
  token: string | null;
  signIn(token: string): void;
  signOut(): void;
  children: ReactNode;
}) {
  const { data, loading } = useQuery(MeDocument, { skip: !token });
  const value = useMemo<Auth>(
    () => ({ token, user: data?.me ?? null, loading: Boolean(token) && loading, signIn, signOut }),
    [token, data, loading, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(TOKEN_KEY));
  const client = useMemo(() => createApolloClient(token), [token]);
  const signIn = useCallback((next: string) => {
    localStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);
  return (
    <ApolloProvider client={client}>
      <CurrentUser token={token} signIn={signIn} signOut={signOut}>
        {children}
      </CurrentUser>
    </ApolloProvider>
  );
}
