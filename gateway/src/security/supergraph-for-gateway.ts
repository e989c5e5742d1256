/**
 * The supergraph as @apollo/gateway is given it. Composition links the authorization specs
 * `for: SECURITY`, and the gateway refuses to serve a supergraph with a security feature it does
 * not enforce itself (only Apollo Router does). This gateway enforces them in ./authorization, so
 * the purpose is dropped from those two links; everything else is unchanged.
 */
export function supergraphForGateway(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v0\.1"), for: SECURITY\)/g,
    '$1)',
  );
}
