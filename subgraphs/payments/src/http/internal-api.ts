// The internal API the orders subgraph calls: POST /internal/payments/{authorize,capture,refund}.
// Deliberately not part of the public GraphQL schema, where a client could forge payments.
// Two checks: the x-internal-secret header (INTERNAL_API_SECRET) proves the caller is a service,
// so a client holding a user's token cannot refund its own order behind the orders subgraph's
// back; the caller's bearer token — the gateway's internal token, forwarded by orders — says on
// whose behalf it acts. Deployments should also keep /internal/ off the public ingress (only the
// gateway's /graphql is exposed).
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { InternalTokenVerifier, type InternalTokenKeys, type Logger } from '@cloudmart/runtime';
import type { PaymentItem } from '../data/items';
import {
  PaymentAccessError,
  PaymentNotFoundError,
  PaymentStateError,
  type PaymentService,
} from '../domain/payment-service';
import { ProviderRequestError } from '../services/payment-provider';

const idSchema = z.string().min(1).max(128);
const keySchema = z.string().min(1).max(200);

const authorizeBody = z.object({
  orderId: idSchema,
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  paymentToken: z.string().min(1).max(200),
  idempotencyKey: keySchema,
});
const settleBody = z.object({ orderId: idSchema, idempotencyKey: keySchema });

/** What the orders subgraph receives: no provider reference, nothing card-like beyond brand and last4. */
export const paymentView = (payment: PaymentItem) => ({
  id: payment.id,
  orderId: payment.orderId,
  status: payment.status,
  amount: payment.amount,
  currency: payment.currency,
  brand: payment.brand,
  last4: payment.last4,
  declineCode: payment.declineCode ?? null,
});

const digest = (value: string) => createHash('sha256').update(value).digest();

export function internalPaymentRoutes(
  service: PaymentService,
  { gatewayKeys, secret, log }: { gatewayKeys: InternalTokenKeys; secret: string; log: Logger },
) {
  const gatewayTokens = new InternalTokenVerifier(gatewayKeys);
  // Compared as digests: equal length, constant time.
  const expected = digest(secret);
  const fromService = (request: Request) => {
    const header = request.headers['x-internal-secret'];
    return typeof header === 'string' && timingSafeEqual(digest(header), expected);
  };
  return (app: Express) => {
    const handle =
      (
        run: (
          request: Request,
          caller: NonNullable<Awaited<ReturnType<InternalTokenVerifier['identityOf']>>>,
        ) => Promise<PaymentItem>,
      ) =>
      async (request: Request, response: Response) => {
        try {
          if (!fromService(request)) {
            response.status(403).json({ error: 'FORBIDDEN', message: 'Internal API: services only' });
            return;
          }
          const caller = await gatewayTokens.identityOf(request.headers.authorization).catch(
            () => null,
          );
          if (!caller) {
            response.status(401).json({ error: 'UNAUTHENTICATED' });
            return;
          }
          response.json({ payment: paymentView(await run(request, caller)) });
        } catch (error) {
          const [status, code] =
            error instanceof z.ZodError
              ? [400, 'BAD_REQUEST']
              : error instanceof PaymentAccessError
                ? [403, 'FORBIDDEN']
                : error instanceof PaymentNotFoundError
                  ? [404, 'NOT_FOUND']
                  : error instanceof PaymentStateError || error instanceof ProviderRequestError
                    ? [409, 'CONFLICT']
                    : [500, 'INTERNAL_SERVER_ERROR'];
          if (status === 500) log.error({ err: error }, 'internal payments API failed');
          response
            .status(status)
            .json({
              error: code,
              message: status === 500 ? 'Internal error' : String((error as Error).message),
            });
        }
      };

    const json = express.json({ limit: '16kb' });
    app.post(
      '/internal/payments/authorize',
      json,
      handle((request, caller) => service.authorize(caller, authorizeBody.parse(request.body))),
    );
    app.post(
      '/internal/payments/capture',
      json,
      handle((request, caller) => {
        const body = settleBody.parse(request.body);
        return service.capture(caller, body.orderId, body.idempotencyKey);
      }),
    );
    app.post(
      '/internal/payments/refund',
      json,
      handle((request, caller) => {
        const body = settleBody.parse(request.body);
        return service.refund(caller, body.orderId, body.idempotencyKey);
      }),
    );
  };
}
