// The users service's internal API: POST /internal/users/contact, for services that write to a
// user on their own (the notifier: an order's confirmation goes to its owner's email and shipping
// address long after the shopper's request). Not in the GraphQL schema, where User.email is the
// user's and admins' only. Services only (x-internal-secret, and x-internal-service naming the
// caller, which is logged); deployments keep /internal/ off the public ingress.
import express, { type Express } from 'express';
import { z } from 'zod';
import {
  INTERNAL_SERVICE_HEADER,
  internalSecretCheck,
  serviceNameSchema,
  type Logger,
} from '@cloudmart/runtime';
import type { UserStore } from '../data/user-store';

const contactRequest = z.object({
  userId: z.string().min(1).max(64),
  /** The shipping address to include; only if it is this user's. */
  addressId: z.string().min(1).max(64).optional(),
});

export function internalUserRoutes(users: UserStore, { secret, log }: { secret: string; log: Logger }) {
  const fromService = internalSecretCheck(secret);
  return (app: Express) => {
    app.post('/internal/users/contact', express.json({ limit: '4kb' }), async (request, response) => {
      const service = serviceNameSchema.safeParse(request.headers[INTERNAL_SERVICE_HEADER]);
      if (!fromService(request.headers) || !service.success) {
        response.status(403).json({ error: 'FORBIDDEN', message: 'Internal API: services only' });
        return;
      }
      const body = contactRequest.safeParse(request.body);
      if (!body.success) {
        response.status(400).json({ error: 'BAD_REQUEST', message: body.error.issues[0]?.message });
        return;
      }
      try {
        const { userId, addressId } = body.data;
        const [user] = await users.findByIds([userId]);
        if (!user) {
          response.status(404).json({ error: 'NOT_FOUND', message: `no user ${userId}` });
          return;
        }
        const [address] = addressId ? await users.findAddressesByIds([addressId]) : [];
        response.json({
          user: { id: user.id, email: user.email, name: user.name },
          address:
            address && address.userId === user.id
              ? {
                  line1: address.line1,
                  line2: address.line2,
                  city: address.city,
                  region: address.region,
                  postalCode: address.postalCode,
                  country: address.country,
                }
              : null,
        });
      } catch (error) {
        log.error({ err: error, service: service.data }, 'internal users API failed');
        response.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'Internal error' });
      }
    });
  };
}
