import { createHash, randomUUID } from 'node:crypto';

/**
 * The port to a card payment provider (Stripe, Adyen, …). Every call carries an idempotency key:
 * the provider must answer a repeated key with the first call's result and never charge twice,
 * which is what makes retries after a timeout safe.
 */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  capture(request: SettleRequest): Promise<void>;
  refund(request: SettleRequest): Promise<void>;
}

export interface AuthorizeRequest {
  /** Minor units. */
  amount: number;
  currency: string;
  /** A token standing for the card, from the provider's client-side library; never a card number. */
  paymentToken: string;
  idempotencyKey: string;
}

export type AuthorizeResult =
  | { approved: true; providerRef: string; brand: string; last4: string }
  | { approved: false; declineCode: string; brand: string; last4: string };

export interface SettleRequest {
  /** The provider's id of the authorization. */
  providerRef: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/** The provider refused a request as malformed (e.g. the same idempotency key with other data). */
export class ProviderRequestError extends Error {
  override name = 'ProviderRequestError';
}

interface TestCard {
  brand: string;
  last4: string;
  declineCode?: string;
}

/** The test tokens, named as Stripe names them, so client code can be tested against either. */
export const testCards: Record<string, TestCard> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
  tok_chargeDeclined: { brand: 'visa', last4: '0002', declineCode: 'card_declined' },
  tok_insufficientFunds: { brand: 'visa', last4: '9995', declineCode: 'insufficient_funds' },
};

/**
 * A local, deterministic stand-in for a provider: the card's brand and last four digits come from
 * the test token; unknown tokens are declined as `invalid_token`, as a real provider would.
 * Idempotency keys are honoured the way providers do: the first result for a key is kept and
 * returned again, and reusing a key for a different request is an error. State lives in memory,
 * which is enough for one process (the provider's side of the contract, not ours).
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly results = new Map<string, { fingerprint: string; result: Promise<unknown> }>();
  /** Calls that reached the "card network" (not answered from the idempotency cache), by kind. */
  readonly executed = { authorize: 0, capture: 0, refund: 0 };

  authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    return this.once('authorize', request, async () => {
      const card = testCards[request.paymentToken] ?? {
        brand: 'unknown',
        last4: '0000',
        declineCode: 'invalid_token',
      };
      if (card.declineCode)
        return { approved: false, declineCode: card.declineCode, brand: card.brand, last4: card.last4 };
      return {
        approved: true,
        providerRef: `sim_auth_${randomUUID()}`,
        brand: card.brand,
        last4: card.last4,
      };
    });
  }

  capture(request: SettleRequest): Promise<void> {
    return this.once('capture', request, async () => undefined);
  }

  refund(request: SettleRequest): Promise<void> {
    return this.once('refund', request, async () => undefined);
  }

  private once<T>(
    kind: keyof SimulatedPaymentProvider['executed'],
    request: object,
    run: () => Promise<T>,
  ): Promise<T> {
    const { idempotencyKey } = request as { idempotencyKey: string };
    const fingerprint = createHash('sha256')
      .update(`${kind}:${JSON.stringify(request)}`)
      .digest('hex');
    const known = this.results.get(idempotencyKey);
    if (known) {
      if (known.fingerprint !== fingerprint) {
        return Promise.reject(
          new ProviderRequestError(`Idempotency key ${idempotencyKey} was used for a different request`),
        );
      }
      return known.result as Promise<T>;
    }
    this.executed[kind] += 1;
    const result = run();
    this.results.set(idempotencyKey, { fingerprint, result });
    return result;
  }
}

export function createPaymentProvider(kind: 'simulated'): PaymentProvider {
  switch (kind) {
    case 'simulated':
      return new SimulatedPaymentProvider();
  }
}
