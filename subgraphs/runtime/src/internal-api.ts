// Internal HTTP APIs between services (orders → payments, notifications → users): never part of
// the public GraphQL schema. The x-internal-secret header (INTERNAL_API_SECRET) proves the caller
// is one of our services, not a client that reached the pod; a service acting on its own, for no
// signed-in caller, names itself in x-internal-service. Deployments also keep /internal/ off the
// public ingress (only the gateway's /graphql is exposed).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

export const INTERNAL_SECRET_HEADER = 'x-internal-secret';
export const INTERNAL_SERVICE_HEADER = 'x-internal-service';

/** A service's name as it sends it in x-internal-service. */
export const serviceNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/);

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether a request carries the internal secret: compared as digests (equal length, constant time). */
export function internalSecretCheck(secret: string): (headers: IncomingHttpHeaders) => boolean {
  const expected = digest(secret);
  return (headers) => {
    const header = headers[INTERNAL_SECRET_HEADER];
    return typeof header === 'string' && timingSafeEqual(digest(header), expected);
  };
}

/** The headers of a call a service makes on its own to another's internal API. */
export const serviceCallHeaders = (service: string, secret: string) => ({
  [INTERNAL_SERVICE_HEADER]: service,
  [INTERNAL_SECRET_HEADER]: secret,
});
