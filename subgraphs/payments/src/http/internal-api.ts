// The internal API the orders subgraph calls: POST /internal/payments/{authorize,capture,refund,void}.
// Deliberately not part of the public GraphQL schema, where a client could forge payments.
// Two checks: the x-internal-secret header (INTERNAL_API_SECRET) proves the caller is a service,
// so a client holding a user's token cannot refund its own order behind the orders subgraph's
// back; the caller's bearer token — the gateway's internal token, forwarded by orders — says on
// whose behalf it acts. A service acting on its own, for no signed-in caller (the orders payment
// sweeper, whose shopper's token expired long ago), sends `x-internal-service: <its name>` instead
// of a token and names the order's owner in the body: it may authorize (the same request checkout
// made, same idempotency key) and void, nothing else — capture and refund need a person. Deployments
// should also keep /internal/ off the public ingress (only the gateway's /graphql is exposed).
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  internalSecretCheck,
  InternalTokenVerifier,
  serviceNameSchema,
  type Identity,
  type InternalTokenKeys,
  type Logger,
} from '@cloudmart/runtime';
import type { PaymentItem } from '../data/items';
import {
  PaymentAccessError,
  PaymentNotFoundError,
  PaymentStateError,
  userActor,
  type PaymentActor,
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
/** What a service acting on its own adds: whose order it is. */
const ownerBody = z.object({ userId: idSchema });
const voidBody = z.object({
  orderId: idSchema,
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  idempotencyKey: keySchema,
});

/** Who called: a user through the gateway's token, or a service on its own. */
type InternalCaller = { kind: 'user'; identity: Identity } | { kind: 'service'; service: string };

/** Refused before anything is done: the status and code to answer. */
class CallerRefusal extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
  ) {
    super(code);
  }
}

/** The actor for an operation a person may do (authorize for themselves, capture, refund). */
function personOnly(caller: InternalCaller): Identity {
  if (caller.kind === 'service') throw new CallerRefusal(403, 'FORBIDDEN');
  return caller.identity;
}

/** The actor for an operation services may do on their own: they name the owner in the body. */
function actorFor(caller: InternalCaller, body: unknown): PaymentActor {
  if (caller.kind === 'user') return userActor(caller.identity);
  return { kind: 'service', service: caller.service, ownerId: ownerBody.parse(body).userId };
}

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

export function internalPaymentRoutes(
  service: PaymentService,
  { gatewayKeys, secret, log }: { gatewayKeys: InternalTokenKeys; secret: string; log: Logger },
) {
  const gatewayTokens = new InternalTokenVerifier(gatewayKeys);
  const fromService = internalSecretCheck(secret);
  /** A user's token if one is sent (a guest's does not count), else the service named. */
  const callerOf = async (request: Request): Promise<InternalCaller> => {
    const { authorization } = request.headers;
    const service = request.headers['x-internal-service'];
    if (authorization === undefined && typeof service === 'string') {
      const name = serviceNameSchema.safeParse(service);
      if (!name.success) throw new CallerRefusal(401, 'UNAUTHENTICATED');
      return { kind: 'service', service: name.data };
    }
    const identity = await gatewayTokens.identityOf(authorization).catch(() => null);
    if (!identity) throw new CallerRefusal(401, 'UNAUTHENTICATED');
    return { kind: 'user', identity };
  };
  return (app: Express) => {
    const handle =
      (run: (request: Request, caller: InternalCaller) => Promise<PaymentItem>) =>
      async (request: Request, response: Response) => {
        try {
          if (!fromService(request.headers)) {
            response.status(403).json({ error: 'FORBIDDEN', message: 'Internal API: services only' });
            return;
          }
          response.json({ payment: paymentView(await run(request, await callerOf(request))) });
        } catch (error) {
          if (error instanceof CallerRefusal) {
            response.status(error.status).json({ error: error.code });
            return;
          }
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
          response.status(status).json({
            error: code,
            message: status === 500 ? 'Internal error' : String((error as Error).message),
          });
        }
      };

    const json = express.json({ limit: '16kb' });
    app.post(
      '/internal/payments/authorize',
      json,
      handle((request, caller) =>
        service.authorize(actorFor(caller, request.body), authorizeBody.parse(request.body)),
      ),
    );
    app.post(
      '/internal/payments/capture',
      json,
      handle((request, caller) => {
        const body = settleBody.parse(request.body);
        return service.capture(personOnly(caller), body.orderId, body.idempotencyKey);
      }),
    );
    app.post(
      '/internal/payments/refund',
      json,
      handle((request, caller) => {
        const body = settleBody.parse(request.body);
        return service.refund(personOnly(caller), body.orderId, body.idempotencyKey);
      }),
    );
    // Services only: a shopper's checkout never voids (cancelling goes through refund).
    app.post(
      '/internal/payments/void',
      json,
      handle((request, caller) => {
        if (caller.kind !== 'service') throw new CallerRefusal(403, 'FORBIDDEN');
        return service.void(actorFor(caller, request.body), voidBody.parse(request.body));
      }),
    );
  };
}
