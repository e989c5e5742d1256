import { z } from 'zod';
import { INTERNAL_SECRET_HEADER, serviceCallHeaders } from '@cloudmart/runtime';
import type { OrdersConfig } from '../config';

/** A payment as the payments service reports it. */
export const paymentResultSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  status: z.enum(['AUTHORIZED', 'CAPTURED', 'DECLINED', 'REFUNDED']),
  amount: z.number().int(),
  currency: z.string(),
  declineCode: z.string().nullable(),
});
export type PaymentResult = z.infer<typeof paymentResultSchema>;

export interface AuthorizePaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  paymentToken: string;
  /** Derived from the order id, so every retry of one order's authorization is the same provider call. */
  idempotencyKey: string;
}

/** For the orders service acting on its own: whose order it is, since no caller says so. */
export interface OwnerOfOrder {
  /** The order's owner, whose payment it is (payments refuses a payment of another user's). */
  userId: string;
}

export interface VoidPaymentRequest extends OwnerOfOrder {
  orderId: string;
  /** The order's total: what a payment recorded as abandoned states. */
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/**
 * The port to the payments service. `authorization` is the caller's own Authorization header:
 * payments checks who acts (the shopper for authorize and refund, an admin for capture). The
 * `…AsService` calls are the orders service acting on its own, for no signed-in caller (the payment
 * sweeper): payments takes them on the internal secret alone and allows only these two.
 */
export interface PaymentsPort {
  authorize(authorization: string, request: AuthorizePaymentRequest): Promise<PaymentResult>;
  capture(authorization: string, orderId: string, idempotencyKey: string): Promise<PaymentResult>;
  refund(authorization: string, orderId: string, idempotencyKey: string): Promise<PaymentResult>;
  /** The same authorization checkout asked for, under the same idempotency key. */
  authorizeAsService(request: AuthorizePaymentRequest & OwnerOfOrder): Promise<PaymentResult>;
  /**
   * Makes sure nothing is or will be held for the order: releases its authorization if there is
   * one, else records its payment as abandoned so a late authorization takes nothing.
   */
  voidAsService(request: VoidPaymentRequest): Promise<PaymentResult>;
}

/** Names the orders service to payments when it acts on its own (payments records it as the actor). */
export const SERVICE_NAME = 'orders';

/** The payments service refused or failed a call; `status` is its HTTP status (0: unreachable). */
export class PaymentsCallError extends Error {
  override name = 'PaymentsCallError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The adapter: the payments subgraph's internal HTTP API (POST /internal/payments/*). */
export class HttpPaymentsClient implements PaymentsPort {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** Proves to payments that the call comes from a service, not a client with a user's token. */
    private readonly internalSecret: string,
  ) {}

  authorize(authorization: string, request: AuthorizePaymentRequest) {
    return this.call('authorize', authorization, request);
  }

  capture(authorization: string, orderId: string, idempotencyKey: string) {
    return this.call('capture', authorization, { orderId, idempotencyKey });
  }

  refund(authorization: string, orderId: string, idempotencyKey: string) {
    return this.call('refund', authorization, { orderId, idempotencyKey });
  }

  authorizeAsService(request: AuthorizePaymentRequest & OwnerOfOrder) {
    return this.call('authorize', null, request);
  }

  voidAsService(request: VoidPaymentRequest) {
    return this.call('void', null, request);
  }

  /** `authorization` null: the service acts on its own (x-internal-service instead of a caller's token). */
  private async call(operation: string, authorization: string | null, body: object): Promise<PaymentResult> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/internal/payments/${operation}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === null
            ? serviceCallHeaders(SERVICE_NAME, this.internalSecret)
            : { authorization, [INTERNAL_SECRET_HEADER]: this.internalSecret }),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PaymentsCallError(`payments ${operation} unreachable: ${String(error)}`, 0);
    }
    const text = await response.text();
    if (!response.ok)
      throw new PaymentsCallError(
        `payments ${operation} answered ${response.status}: ${text}`,
        response.status,
      );
    return z.object({ payment: paymentResultSchema }).parse(JSON.parse(text)).payment;
  }
}

/** The adapter PAYMENTS_URL (or the supergraph's payments URL), PAYMENTS_TIMEOUT_MS and the internal secret configure. */
export const createPaymentsClient = (config: OrdersConfig): PaymentsPort =>
  new HttpPaymentsClient(config.paymentsBaseUrl, config.PAYMENTS_TIMEOUT_MS, config.internalSecret);
