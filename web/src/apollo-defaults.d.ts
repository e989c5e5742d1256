// Queries default to errorPolicy 'all': a failing subgraph leaves the rest of the page's data,
// shown with a message, instead of a blank page. Declared here so hook types know it.
import '@apollo/client';

declare module '@apollo/client' {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface WatchQuery {
        errorPolicy: 'all';
      }
      interface Query {
        errorPolicy: 'all';
      }
    }
  }
}
